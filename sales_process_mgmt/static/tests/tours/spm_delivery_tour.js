/** @odoo-module **/

import { waitUntil } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";
import { assertNoSidewaysScroll } from "@sales_process_mgmt/../tests/tours/spm_phone_menus_tour";

/**
 * Delivery at the customer, on a phone, from an open delivery visit already checked in:
 * the rep opens the Delivery tab, writes the name of the person who signs, lets the
 * customer sign and validates the delivery; the picking's card shows it done and the tab
 * fits the phone. The steps are exported to be chained with the other steps of a visit
 * at the same dealer.
 *
 * @param {string} signer the name of the person who signs for the goods
 */
export function spmDeliverySteps(signer = "Manager Zhou") {
    return [
        {
            content: "Open the Delivery tab of the visit",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Delivery')",
            run: "click",
        },
        {
            content: "The delivery to make is a card",
            trigger: ".o_spm_visit_delivery .o_kanban_record:contains('Ready')",
        },
        {
            content: "Write who signs for the goods",
            trigger: ".o_field_widget[name='delivery_signed_by'] input",
            run: `edit ${signer}`,
        },
        {
            content: "Open the signature box",
            trigger: ".o_spm_delivery_signature .o_signature",
            run: "click",
        },
        {
            content: "The customer's signature is drawn",
            trigger: ".modal canvas.o_web_sign_signature",
            async run(helpers) {
                await waitUntil(() => {
                    const canvas = helpers.anchor;
                    const context = canvas.getContext("2d");
                    const data = context.getImageData(0, 0, canvas.width, canvas.height);
                    return new Uint32Array(data.data.buffer).some((pixel) => pixel !== 0);
                });
            },
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer .btn-primary:enabled",
            run: "click",
        },
        {
            content: "The visit shows the signature",
            trigger: ".o_spm_delivery_signature img.o_signature",
        },
        {
            content: "Validate the delivery",
            trigger: "button.o_spm_validate_delivery",
            run: "click",
        },
        {
            content: "The delivery is done and the tab fits the phone",
            trigger: ".o_spm_visit_delivery .o_kanban_record:contains('Done')",
            run() {
                assertNoSidewaysScroll(
                    document.querySelector(".o_form_view .o_notebook .tab-pane.active"),
                    "The Delivery tab of the visit"
                );
            },
        },
    ];
}

registry.category("web_tour.tours").add("spm_delivery_tour", {
    steps: () => spmDeliverySteps(),
});
