import { registry } from "@web/core/registry";

// A rep on a phone, checked in at the outlet, opens the visit's POP tab and taps the
// condition of a piece: the card shows what was found, and the page fits the phone.
registry.category("web_tour.tours").add("spm_pop_tour", {
    steps: () => [
        {
            content: "Open the POP tab of the visit",
            trigger: ".o_form_view .o_notebook .nav-link:contains('POP')",
            run: "click",
        },
        {
            content: "The outlet's poster is a card with its one-tap buttons",
            trigger: ".o_spm_visit_pop .o_kanban_record:contains('Tour Poster') button.o_spm_pop_damaged",
            run: "click",
        },
        {
            content: "The card says the poster was found damaged and needs maintenance",
            trigger:
                ".o_spm_visit_pop .o_kanban_record:contains('Tour Poster'):contains('Needs Maintenance') .o_field_widget[name=last_condition]:contains('Damaged')",
            run() {
                const page = document.scrollingElement;
                if (page.scrollWidth > page.clientWidth + 1) {
                    throw new Error(`The visit's POP tab scrolls sideways: ${page.scrollWidth} px in ${page.clientWidth} px`);
                }
            },
        },
    ],
});
