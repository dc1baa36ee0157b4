import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { getDevicePosition } from "@sales_process_mgmt/visit_geo_button/visit_geo_button";
// Patches KanbanController.components (the offline banner) before they are copied below.
import "@sales_process_mgmt/offline_queue/offline_queue_banner";

/**
 * My Day's route bar: "Plan My Route" orders today's planned visits from the phone's
 * position (from the first visit's customer when the phone gives none); "Apply to
 * Planned Times" rewrites the planned times in that order. The server does the work
 * (spm.visit.action_plan_my_route / action_apply_route_times); the bar reloads the
 * cards, which show the stop numbers and distances.
 */
export class MyDayRouteBar extends Component {
    static template = "sales_process_mgmt.MyDayRouteBar";
    static props = {
        hasRoute: { type: Boolean },
        reload: { type: Function },
    };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({ busy: false, locating: false });
    }

    async run(method, kwargs = {}) {
        const result = await this.orm.call("spm.visit", method, [], kwargs);
        if (result?.message) {
            this.notification.add(result.message, { type: "success" });
        }
        await this.props.reload();
    }

    async onPlan() {
        if (this.state.busy) {
            return;
        }
        this.state.busy = this.state.locating = true;
        try {
            const position = await getDevicePosition();
            this.state.locating = false;
            if (!position) {
                this.notification.add(
                    _t("No position from this device: the route starts at the first visit's customer."),
                    { type: "warning" }
                );
            }
            await this.run(
                "action_plan_my_route",
                position ? { latitude: position.latitude, longitude: position.longitude } : {}
            );
        } finally {
            this.state.busy = this.state.locating = false;
        }
    }

    async onApply() {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            await this.run("action_apply_route_times");
        } finally {
            this.state.busy = false;
        }
    }
}

export class MyDayKanbanController extends KanbanController {
    static template = "sales_process_mgmt.MyDayKanbanView";
    static components = { ...KanbanController.components, MyDayRouteBar };

    get hasRoute() {
        return this.model.root.records.some((record) => record.data.route_sequence);
    }

    async reloadCards() {
        await this.model.load();
    }
}

registry.category("views").add("spm_my_day_kanban", {
    ...kanbanView,
    Controller: MyDayKanbanController,
});
