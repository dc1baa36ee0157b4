/** @odoo-module **/

import { registry } from "@web/core/registry";
import { spmDeliverySteps } from "@sales_process_mgmt/../tests/tours/spm_delivery_tour";
import { spmFieldCollectionSteps } from "@sales_process_mgmt/../tests/tours/spm_field_collection_tour";
import { spmSelloutSteps } from "@sales_process_mgmt/../tests/tours/spm_sellout_tour";

// 送货收款 and 客户进销记录簿 at one dealer, on a phone, in one checked-in delivery visit:
// the customer signs and the rep validates the delivery, records the money paid by
// WeChat Pay with a photo of the slip, then counts what the dealer sold and holds.
registry.category("web_tour.tours").add("spm_field_day_tour", {
    steps: () => [
        ...spmDeliverySteps(),
        ...spmFieldCollectionSteps(),
        ...spmSelloutSteps({ product: "Router R5", sold: "3", stock: "5" }),
    ],
});
