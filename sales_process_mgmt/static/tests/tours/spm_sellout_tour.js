import { registry } from "@web/core/registry";
import { assertNoSidewaysScroll } from "@sales_process_mgmt/../tests/tours/spm_phone_menus_tour";

// 客户进销记录簿 on a phone: at a dealer, in a visit checked in and open, the rep taps
// Record Sell-out, counts the phones (sold since the last report, stock on hand) on the
// prefilled card, and saves the visit. The Sell-out tab does not scroll sideways.

const PRODUCT = "Phone S1";

/** The steps, from the open visit form of a checked-in visit at a dealer. */
export function spmSelloutSteps({ product = PRODUCT, sold = "6", stock = "24" } = {}) {
    const card = `.o_spm_visit_sellout .o_kanban_record:contains('${product}')`;
    return [
        {
            content: "Open the Sell-out tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Sell-out')",
            run: "click",
        },
        {
            content: "Prefill one card per product the dealer bought in 90 days",
            trigger: ".o_form_view button.o_spm_record_sellout",
            run: "click",
        },
        {
            content: `Count ${product}`,
            trigger: card,
            run: "click",
        },
        {
            content: "Sold since the last report",
            trigger: ".modal .o_field_widget[name=qty_sold] input",
            run: `edit ${sold}`,
        },
        {
            content: "Stock on hand",
            trigger: ".modal .o_field_widget[name=stock_on_hand] input",
            run: `edit ${stock}`,
        },
        {
            content: "The count fits the phone",
            trigger: ".modal .o_field_widget[name=stock_on_hand] input",
            run() {
                assertNoSidewaysScroll(document.querySelector(".modal"), "The sell-out dialog");
            },
        },
        {
            content: "Keep the count",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The card shows the count; the tab fits the phone",
            trigger: `body:not(:has(.modal)) ${card}:contains('On hand ${stock}')`,
            run() {
                const content = document.querySelector(".o_action_manager .o_content");
                if (content.scrollWidth > content.clientWidth + 1) {
                    throw new Error(`The Sell-out tab scrolls the visit sideways: ${content.scrollWidth} px wide in ${content.clientWidth} px`);
                }
                assertNoSidewaysScroll(document.querySelector(".o_form_view .o_notebook .tab-pane.active"), "The Sell-out tab");
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
    ];
}

registry.category("web_tour.tours").add("spm_sellout_tour", {
    steps: () => spmSelloutSteps(),
});
