import { Component, onWillUnmount, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { useBus, useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { RETRY_INTERVAL_MS } from "./offline_queue_service";

/**
 * How many check-ins and check-outs wait on the phone, above the visit cards; while
 * it is shown the queue is sent again every RETRY_INTERVAL_MS, and the cards are
 * reloaded once something was recorded.
 */
export class SpmOfflineQueueBanner extends Component {
    static template = "sales_process_mgmt.OfflineQueueBanner";
    static props = { onSent: { type: Function, optional: true } };

    setup() {
        this.queue = useService("spm_offline_queue");
        this.state = useState(this.queue.state);
        const timer = browser.setInterval(() => {
            if (this.queue.count) {
                this.queue.flush();
            }
        }, RETRY_INTERVAL_MS);
        onWillUnmount(() => browser.clearInterval(timer));
        useBus(this.queue.bus, "SENT", () => this.props.onSent?.());
    }

    get count() {
        return this.state.actions.length;
    }

    onSendNow() {
        this.queue.flush();
    }
}

patch(KanbanController, {
    components: { ...KanbanController.components, SpmOfflineQueueBanner },
});

patch(KanbanController.prototype, {
    async spmReloadAfterSent() {
        await this.model.load();
    },
});
