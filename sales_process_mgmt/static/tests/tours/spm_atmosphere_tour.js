import { registry } from "@web/core/registry";

// A rep checked in at an outlet audits its store atmosphere on a phone: Audit
// Atmosphere adds the four elements, one tap on a star scores each, and the visit is
// saved. Nothing scrolls sideways.
function tapStar(element, score) {
    return {
        content: `Score ${element} ${score} of 5`,
        trigger: `.o_field_widget[name=atmosphere_line_ids] .o_kanban_record:contains('${element}') .o_priority_star:eq(${score - 1})`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("spm_atmosphere_tour", {
    steps: () => [
        {
            content: "Open the visit in progress",
            trigger: ".o_kanban_record:contains('Atmosphere Outlet') .o_spm_visit_customer",
            run: "click",
        },
        {
            content: "Open the Atmosphere tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Atmosphere')",
            run: "click",
        },
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
        tapStar("Colour", 3),
        tapStar("Music", 2),
        tapStar("Staff Behaviour", 5),
        {
            content: "The audit fits the phone",
            trigger: ".o_field_widget[name=atmosphere_line_ids] .o_kanban_record:contains('Staff Behaviour') .o_priority_star.fa-star:eq(4)",
            run() {
                const page = document.scrollingElement;
                if (page.scrollWidth > page.clientWidth + 1) {
                    throw new Error(`The visit scrolls sideways: ${page.scrollWidth} px in ${page.clientWidth} px`);
                }
            },
        },
        {
            content: "Save the visit",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
