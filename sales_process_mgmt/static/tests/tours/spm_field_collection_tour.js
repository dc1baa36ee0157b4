/** @odoo-module **/
import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";
import { assertNoSidewaysScroll } from "@sales_process_mgmt/../tests/tours/spm_phone_menus_tour";

// Collection in the field (收款) on a phone: at a checked-in visit that serves a
// collection task, the rep records the money the customer paid by WeChat Pay with a
// photo of the payment slip, and saves; the dialog fits the phone.

/** What the phone's camera gives: a photo of the payment slip. */
async function slipPhoto() {
    const canvas = document.createElement("canvas");
    canvas.width = 480;
    canvas.height = 640;
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, 480, 640);
    context.fillStyle = "#07c160";
    context.fillRect(40, 60, 400, 120);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    return new File([blob], "wechat_slip.jpg", { type: "image/jpeg" });
}

/** The steps, from the form of a checked-in visit serving a collection task. */
export function spmFieldCollectionSteps() {
    return [
        {
            content: "Record the money the customer paid",
            trigger: ".o_form_view button.o_spm_visit_record_receipt",
            run: "click",
        },
        {
            content: "Paid by WeChat Pay",
            trigger: ".modal .o_field_widget[name=method] .o_selection_badge:contains('WeChat Pay')",
            run: "click",
        },
        {
            content: "The WeChat order number",
            trigger: ".modal .o_field_widget[name=reference] input",
            run: "edit WX-4200017",
        },
        {
            content: "Take a photo of the payment slip",
            trigger: ".modal .o_field_widget[name=slip_photo]",
            async run() {
                await inputFiles(".modal .o_field_widget[name=slip_photo] input.o_input_file", [
                    await slipPhoto(),
                ]);
            },
        },
        {
            content: "The photo is on the receipt; the dialog fits the phone",
            trigger: ".modal .o_field_widget[name=slip_photo] img[src^='data:image']",
            run() {
                assertNoSidewaysScroll(document.querySelector(".modal"), "The receipt dialog");
            },
        },
        {
            content: "Save the receipt",
            trigger: ".modal button.o_spm_receipt_save",
            run: "click",
        },
        {
            content: "The dialog is closed, back on the visit",
            trigger: "body:not(:has(.modal)) .o_form_view button.o_spm_visit_record_receipt",
        },
    ];
}

registry.category("web_tour.tours").add("spm_field_collection_tour", {
    steps: spmFieldCollectionSteps,
});
