import { registry } from "@web/core/registry";

// A rep on a phone opens My Day and plans the route from the phone's position (simulated,
// west of the three customers): the cards come in route order with their stop numbers.
registry.category("web_tour.tours").add("spm_route_tour", {
    steps: () => [
        {
            content: "My Day lists the visits in their planned order, without stops",
            trigger: ".o_spm_visit_kanban .o_kanban_record:first:contains('Route Third Stop')",
            run() {
                Object.defineProperty(navigator, "geolocation", {
                    configurable: true,
                    value: {
                        getCurrentPosition(success) {
                            success({ coords: { latitude: 31.2304, longitude: 121.4637, accuracy: 20 } });
                        },
                    },
                });
            },
        },
        {
            content: "Plan my route",
            trigger: "button.o_spm_plan_route",
            run: "click",
        },
        {
            content: "The nearest customer comes first, stop 1, with its distance",
            trigger: ".o_kanban_record:first:contains('Route First') .o_spm_route_stop:contains('Stop 1')",
        },
        {
            content: "Its distance from the phone",
            trigger: ".o_kanban_record:first .o_spm_route_distance:contains('1.9 km')",
        },
        {
            content: "The second card is stop 2",
            trigger: ".o_kanban_record:eq(1):contains('Route Second Stop') .o_spm_route_stop:contains('Stop 2')",
        },
        {
            content: "The farthest comes last, 951 m after the second",
            trigger: ".o_kanban_record:eq(2):contains('Route Third Stop') .o_spm_route_distance:contains('951 m')",
        },
        {
            content: "Each card opens its customer in the rep's map app (Amap by default)",
            trigger: ".o_kanban_record:first .o_spm_navigate_link[href*='uri.amap.com/marker']",
        },
        {
            content: "The route can now be applied to the planned times",
            trigger: "button.o_spm_apply_route_times",
        },
    ],
});
