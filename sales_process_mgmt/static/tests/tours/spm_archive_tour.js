import { registry } from "@web/core/registry";

// A rep on a phone opens a customer's market archive, classifies the customer
// and marks the archive reviewed.
registry.category("web_tour.tours").add("spm_archive_tour", {
    steps: () => [
        {
            content: "Open the Market Archive tab",
            trigger: ".o_notebook .nav-link:contains('Market Archive')",
            run: "click",
        },
        {
            content: "The archive is due for review",
            trigger: ".alert-warning:contains('due for review')",
        },
        {
            content: "Classify the customer as an agent",
            trigger: ".o_field_widget[name=spm_archive_type] select",
            run: "selectByLabel Agent",
        },
        {
            content: "Set the customer class",
            trigger: ".o_field_widget[name=spm_tier] select",
            run: "selectByLabel A",
        },
        {
            content: "Mark the archive reviewed",
            trigger: ".alert-warning button[name=action_spm_mark_reviewed]",
            run: "click",
        },
        {
            content: "The review date is filled and the warning gone",
            trigger: ".o_form_view:not(:has(.alert-warning)) .o_field_widget[name=spm_archive_reviewed_on] span:not(:empty)",
        },
    ],
});
