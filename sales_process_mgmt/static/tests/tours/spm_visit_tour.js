import { registry } from "@web/core/registry";

// A rep on a phone opens My Day, checks in at the customer (the device position
// is simulated), writes the outcome and checks out.
registry.category("web_tour.tours").add("spm_visit_tour", {
    steps: () => [
        {
            content: "The planned visit is on My Day; the phone is at the customer's shop",
            trigger: ".o_spm_visit_kanban .o_kanban_record:contains('Tour Outlet') button.o_spm_check_in",
            run() {
                Object.defineProperty(navigator, "geolocation", {
                    configurable: true,
                    value: {
                        getCurrentPosition(success) {
                            success({ coords: { latitude: 31.2306, longitude: 121.4737, accuracy: 12 } });
                        },
                    },
                });
            },
        },
        {
            content: "Check in",
            trigger: ".o_kanban_record:contains('Tour Outlet') button.o_spm_check_in",
            run: "click",
        },
        {
            content: "Checked in: the card now offers the check-out",
            trigger: ".o_kanban_record:contains('Tour Outlet') button.o_spm_check_out",
        },
        {
            content: "The check-in is verified",
            trigger: ".o_kanban_record:contains('Tour Outlet') .o_field_widget[name=location_status]:contains('Verified')",
        },
        {
            content: "Open the visit",
            trigger: ".o_kanban_record:contains('Tour Outlet') .o_spm_visit_customer",
            run: "click",
        },
        {
            content: "Open the Outcome tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Outcome')",
            run: "click",
        },
        {
            content: "Write the outcome",
            trigger: ".o_form_view .o_field_widget[name=outcome] textarea",
            run: "edit The owner ordered 30 phones and wants posters for the window.",
        },
        {
            content: "Check out",
            trigger: ".o_form_view button.o_spm_check_out",
            run: "click",
        },
        {
            content: "The visit is done: no check-in or check-out left",
            trigger: ".o_form_view:not(:has(.o_spm_geo_button)) .o_form_saved",
        },
    ],
});
