import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";
import { assertNoSidewaysScroll } from "@sales_process_mgmt/../tests/tours/spm_phone_menus_tour";

// The promotion chapter's visit at an outlet, on a phone: the rep checks in on My Day
// (the device position is simulated), inspects the outlet's POP, records the running
// campaign as done with a photo, scores the store atmosphere and checks out. No tab, no
// dialog scrolls sideways.

const OUTLET = "Nanjing Road Outlet";
const CAMPAIGN = "Spring Trade-in";

function stubPosition() {
    Object.defineProperty(navigator, "geolocation", {
        configurable: true,
        value: {
            getCurrentPosition(success) {
                success({ coords: { latitude: 31.2306, longitude: 121.4737, accuracy: 12 } });
            },
        },
    });
}

/** What the phone's camera gives: a photo of the campaign's display. */
async function cameraPhoto() {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 480;
    const context = canvas.getContext("2d");
    context.fillStyle = "#c0392b";
    context.fillRect(0, 0, 640, 480);
    context.fillStyle = "#f1c40f";
    context.fillRect(120, 90, 400, 300);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    return new File([blob], "trade_in_display.jpg", { type: "image/jpeg" });
}

function openTab(name) {
    return {
        content: `Open the ${name} tab`,
        trigger: `.o_form_view .o_notebook .nav-link:contains('${name}')`,
        run: "click",
    };
}

function tabFits(name, trigger) {
    return {
        content: `The ${name} tab fits the phone`,
        trigger,
        run() {
            const what = `The ${name} tab`;
            // the visit's scroll container: what does not fit the phone scrolls it sideways
            // (the tab headers and the chatter's buttons scroll by design, out of the tab)
            const content = document.querySelector(".o_action_manager .o_content");
            if (content.scrollWidth > content.clientWidth + 1) {
                throw new Error(`${what} scrolls the visit sideways: ${content.scrollWidth} px wide in ${content.clientWidth} px`);
            }
            assertNoSidewaysScroll(document.querySelector(".o_form_view .o_notebook .tab-pane.active"), what);
        },
    };
}

function inspect(material, button, condition) {
    const card = `.o_spm_visit_pop .o_kanban_record:contains('${material}')`;
    return [
        {
            content: `Inspect ${material}: ${condition}`,
            trigger: `${card} button.${button}`,
            run: "click",
        },
        {
            content: `${material} was found ${condition}`,
            trigger: `${card} .o_field_widget[name=last_condition]:contains('${condition}')`,
        },
    ];
}

function tapStar(element, score) {
    return {
        content: `Score ${element} ${score} of 5`,
        trigger: `.o_field_widget[name=atmosphere_line_ids] .o_kanban_record:contains('${element}') .o_priority_star:eq(${score - 1})`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("spm_promotion_visit_tour", {
    steps: () => [
        {
            content: "The planned visit is on My Day; the phone is at the outlet",
            trigger: `.o_spm_visit_kanban .o_kanban_record:contains('${OUTLET}') button.o_spm_check_in`,
            run() {
                stubPosition();
                assertNoSidewaysScroll(document.querySelector(".o_action_manager"), "My Day");
            },
        },
        {
            content: "Check in",
            trigger: `.o_kanban_record:contains('${OUTLET}') button.o_spm_check_in`,
            run: "click",
        },
        {
            content: "The check-in is verified",
            trigger: `.o_kanban_record:contains('${OUTLET}'):has(button.o_spm_check_out) .o_field_widget[name=location_status]:contains('Verified')`,
        },
        {
            content: "Open the visit",
            trigger: `.o_kanban_record:contains('${OUTLET}') .o_spm_visit_customer`,
            run: "click",
        },
        // POP: the outlet's two pieces, one good, one damaged
        openTab("POP"),
        ...inspect("S1 Poster A1", "o_spm_pop_good", "Good"),
        ...inspect("Shop Light Box", "o_spm_pop_damaged", "Damaged"),
        tabFits(
            "POP",
            ".o_spm_visit_pop .o_kanban_record:contains('Shop Light Box'):contains('Needs Maintenance')"
        ),
        // Promotion: the running campaign is done, a photo proves it
        openTab("Promotion"),
        {
            content: `Record ${CAMPAIGN} as done`,
            trigger: `.o_spm_visit_promotion_campaigns .o_kanban_record:contains('${CAMPAIGN}') button.o_spm_promotion_done`,
            run: "click",
        },
        {
            content: "Take a photo of the campaign's display",
            trigger: ".modal .o_form_view .o_field_widget[name=photo]",
            async run() {
                await inputFiles(".modal .o_field_widget[name=photo] input.o_input_file", [await cameraPhoto()]);
            },
        },
        {
            content: "The photo is on the execution; write a note",
            trigger: ".modal .o_field_widget[name=photo] img[src^='data:image']",
            run() {
                assertNoSidewaysScroll(document.querySelector(".modal"), "The execution dialog");
            },
        },
        {
            content: "Write what the outlet shows",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Trade-in poster in the window, price cards on the counter.",
        },
        {
            content: "Save the execution",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The execution is recorded on the visit, verified by the check-in",
            trigger: `body:not(:has(.modal)) .o_field_widget[name=promotion_execution_ids] .o_kanban_record:contains('${CAMPAIGN}') .badge:contains('Verified')`,
        },
        tabFits("Promotion", ".o_field_widget[name=promotion_execution_ids] .o_kanban_record"),
        // Atmosphere: a star per element
        openTab("Atmosphere"),
        {
            content: "Audit the atmosphere",
            trigger: ".o_form_view button.o_spm_visit_audit_atmosphere",
            run: "click",
        },
        {
            content: "The four elements are there, as cards",
            trigger: ".o_field_widget[name=atmosphere_line_ids] .o_kanban_record:contains('Staff Behaviour')",
        },
        tapStar("POP", 4),
        tapStar("Colour", 5),
        tapStar("Music", 3),
        tapStar("Staff Behaviour", 4),
        tabFits(
            "Atmosphere",
            ".o_field_widget[name=atmosphere_line_ids] .o_kanban_record:contains('Staff Behaviour') .o_priority_star.fa-star:eq(3)"
        ),
        // Outcome and check-out
        openTab("Outcome"),
        {
            content: "Write the outcome",
            trigger: ".o_form_view .o_field_widget[name=outcome] textarea",
            run: "edit The spring trade-in runs; the light box needs a new panel.",
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
