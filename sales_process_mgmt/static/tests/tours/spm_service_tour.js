import { registry } from "@web/core/registry";
import { assertNoSidewaysScroll } from "@sales_process_mgmt/../tests/tours/spm_phone_menus_tour";

// A rep on a phone opens After-Sales > Service Requests, taps a request's card, starts
// the work, writes what was done and resolves it: every screen fits the phone.

function formFits(what) {
    // the form's scroll container never scrolls sideways; inside it, the sheet fits
    // (the chatter's buttons scroll by design, in their own bar)
    const content = document.querySelector(".o_action_manager .o_content");
    if (content.scrollWidth > content.clientWidth + 1) {
        throw new Error(`${what} scrolls sideways: ${content.scrollWidth} px wide in ${content.clientWidth} px`);
    }
    assertNoSidewaysScroll(document.querySelector(".o_form_view .o_form_sheet"), what);
}
registry.category("web_tour.tours").add("spm_service_tour", {
    steps: () => [
        {
            content: "Open the app's menu",
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            content: "Choose After-Sales > Service Requests",
            trigger: ".o_app_menu_sidebar [data-menu-xmlid='sales_process_mgmt.spm_service_request_menu']",
            run: "click",
        },
        {
            content: "The requests are cards that fit the phone; tap the customer's",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour: screen flickers')",
            run(helpers) {
                assertNoSidewaysScroll(document.querySelector(".o_action_manager"), "Service Requests");
                return helpers.click();
            },
        },
        {
            content: "The request's form fits the phone; start the work",
            trigger: ".o_form_view .o_form_sheet button[name=action_start]",
            run(helpers) {
                formFits("The request's form");
                return helpers.click();
            },
        },
        {
            content: "The request is being processed",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Processing')",
        },
        {
            content: "Open the Resolution tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Resolution')",
            run: "click",
        },
        {
            content: "Write what was done",
            trigger: ".o_form_view .o_field_widget[name=resolution] .odoo-editor-editable",
            run: "editor Screen cable reseated, tested with the customer.",
        },
        {
            content: "Resolve the request",
            trigger: ".o_form_view .o_form_sheet button[name=action_resolve]",
            run: "click",
        },
        {
            content: "The request is resolved and the form still fits the phone",
            trigger: ".o_form_view:has(.o_arrow_button_current:contains('Resolved')) .o_form_sheet",
            run() {
                formFits("The resolved request");
            },
        },
    ],
});
