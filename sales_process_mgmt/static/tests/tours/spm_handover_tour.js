import { registry } from "@web/core/registry";

// A sales manager at the desk hands a leaving rep's customers over to a colleague from
// the handover log: picks both reps, reads the preview, gives the reason, hands over and
// lands on the new log.
registry.category("web_tour.tours").add("spm_handover_tour", {
    steps: () => [
        {
            content: "Start a handover from the log",
            trigger: ".o_control_panel button:contains('Hand Over')",
            run: "click",
        },
        {
            content: "Pick the leaving rep",
            trigger: ".modal .o_field_widget[name=from_user_id] input",
            run: "edit Tour Leaving Rep",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Leaving Rep')",
            run: "click",
        },
        {
            content: "The preview lists the customer and counts what moves",
            trigger: ".modal .o_field_widget[name=preview_partner_ids] td:contains('Tour Handover Customer')",
        },
        {
            trigger: ".modal .o_spm_handover_preview:contains('Open Opportunities')",
        },
        {
            content: "Pick the colleague taking over",
            trigger: ".modal .o_field_widget[name=to_user_id] input",
            run: "edit Tour Taking Rep",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Taking Rep')",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Leaves the company",
        },
        {
            content: "Hand over",
            trigger: ".modal button[name=action_hand_over]",
            run: "click",
        },
        {
            content: "The log of the handover opens, with the records moved",
            trigger: ".o_breadcrumb:contains('Tour Leaving Rep → Tour Taking Rep')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=partner_count]:contains('1')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=line_ids] td:contains('Tour Handover Customer')",
        },
    ],
});
