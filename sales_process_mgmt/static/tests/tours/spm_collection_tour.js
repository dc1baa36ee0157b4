import { registry } from "@web/core/registry";

// A rep on a phone opens a collection task and records the customer's promise to pay.
registry.category("web_tour.tours").add("spm_collection_tour", {
    steps: () => [
        {
            content: "The task is open",
            trigger: ".o_form_view .o_field_widget[name=amount_residual]",
        },
        {
            content: "Record the customer's promise",
            trigger: ".o_form_sheet button[name=action_record_promise]",
            run: "click",
        },
        {
            content: "Write down what the customer said",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Boss away until Friday, pays after payday",
        },
        {
            content: "Save the promise",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The promise is listed on the task",
            trigger: ".o_field_widget[name=promise_ids] .o_data_row:contains('Boss away until Friday')",
        },
    ],
});
