import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The Navigate link of a customer: a real link, so that a tap opens the map app (or
 * its web page in a new tab) on a phone browser and in the Odoo mobile app, with no
 * popup for a browser to block.
 */
export class NavigateLink extends Component {
    static template = "sales_process_mgmt.NavigateLink";
    static props = { ...standardFieldProps };

    get url() {
        return this.props.record.data[this.props.name] || "";
    }
}

registry.category("fields").add("spm_navigate_link", {
    component: NavigateLink,
    supportedTypes: ["char"],
});
