import { registry } from "@web/core/registry";

import { assertNoSidewaysScroll } from "@sales_process_mgmt/../tests/tours/spm_phone_menus_tour";

// A rep on a phone, checked in at the follow-up visit of a repair, opens the visit's
// After-Sales tab, asks the customer and taps the answer (4): the request's card shows
// the satisfaction recorded, and the page fits the phone.
registry.category("web_tour.tours").add("spm_service_visit_tour", {
    steps: () => [
        {
            content: "Open the After-Sales tab of the visit",
            trigger: ".o_form_view .o_notebook .nav-link:contains('After-Sales')",
            run: "click",
        },
        {
            content: "The followed-up request is a card with the 1-5 buttons: tap 4",
            trigger: ".o_spm_visit_service .o_kanban_record:contains('Tour repair') button.o_spm_satisfaction_4",
            run: "click",
        },
        {
            content: "The card shows the customer's answer",
            trigger: ".o_spm_visit_service .o_kanban_record:contains('Tour repair'):contains('4/5'):contains('Satisfied')",
            run() {
                assertNoSidewaysScroll(
                    document.querySelector(".o_form_view .o_notebook .tab-pane.active"),
                    "The After-Sales tab of the visit"
                );
            },
        },
    ],
});
