import { registry } from "@web/core/registry";

// A sales manager on a phone opens an order waiting for discount approval, checks
// the discount against the rep's budget and approves it.
registry.category("web_tour.tours").add("spm_discount_approval_tour", {
    steps: () => [
        {
            content: "The order waits for approval",
            trigger: ".alert-warning:contains('waits for a')",
        },
        {
            content: "Open the Discount tab",
            trigger: ".o_notebook .nav-link:contains('Discount')",
            run: "click",
        },
        {
            content: "The discount granted and the rep's remaining budget are shown",
            trigger: ".o_field_widget[name=spm_discount_budget_remaining]:contains('0.00')",
        },
        {
            content: "Approve the discount from the warning (header buttons fold away on phones)",
            trigger: ".alert-warning button[name=action_spm_discount_approve]",
            run: "click",
        },
        {
            content: "The order is confirmed: no more approval warning",
            trigger: ".o_form_view:not(:has(.alert-warning)) .o_field_widget[name=spm_discount_approval]:contains('Approved')",
        },
    ],
});
