import { Component, onWillStart, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { MyDayKanbanController } from "@sales_process_mgmt/my_day_route/my_day_route";

/**
 * My Day's delivery banner: how many deliveries are ready for the rep's customers
 * (stock.picking.spm_my_deliveries_count); a tap opens them as cards, each with
 * "Plan Delivery Visit".
 */
export class MyDayDeliveryBanner extends Component {
    static template = "sales_process_mgmt.MyDayDeliveryBanner";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ count: 0 });
        onWillStart(async () => {
            this.state.count = await this.orm.call("stock.picking", "spm_my_deliveries_count", []);
        });
    }

    onOpen() {
        this.action.doAction("sales_process_mgmt.stock_picking_action_spm_my_deliveries");
    }
}

patch(MyDayKanbanController, {
    components: { ...MyDayKanbanController.components, MyDayDeliveryBanner },
});
