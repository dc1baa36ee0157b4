import { Component, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { deviceNow, isNetworkError } from "../offline_queue/offline_queue_service";

export const POSITION_TIMEOUT_MS = 10000;

/**
 * The device position, or null when the device has none, the user refuses it or
 * it does not come in time: the visit is then recorded without a position.
 */
export function getDevicePosition(timeout = POSITION_TIMEOUT_MS) {
    return new Promise((resolve) => {
        let settled = false;
        const finish = (value) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                resolve(value);
            }
        };
        // some browsers never call back when the permission prompt is ignored
        const timer = setTimeout(() => finish(null), timeout + 1000);
        if (!navigator.geolocation) {
            finish(null);
            return;
        }
        try {
            navigator.geolocation.getCurrentPosition(
                (position) =>
                    finish({
                        latitude: position.coords.latitude,
                        longitude: position.coords.longitude,
                    }),
                () => finish(null),
                { enableHighAccuracy: true, timeout, maximumAge: 60000 }
            );
        } catch {
            finish(null);
        }
    });
}

export class VisitGeoButton extends Component {
    static template = "sales_process_mgmt.VisitGeoButton";
    static props = {
        ...standardWidgetProps,
        action: { type: String },
    };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.queue = useService("spm_offline_queue");
        this.queueState = useState(this.queue.state);
        this.state = useState({ busy: false });
        // on a form, the visit shows what the phone sent once the network returned
        // (on My Day, the queue's banner reloads the cards)
        useBus(this.queue.bus, "SENT", async (ev) => {
            const record = this.props.record;
            if (
                this.env.config?.viewType === "form" &&
                ev.detail.visitIds.includes(record.resId) &&
                !(await record.isDirty())
            ) {
                await record.load();
            }
        });
    }

    get isCheckIn() {
        return this.props.action === "check_in";
    }

    /** Whether this action waits on the phone to be sent. */
    get isPending() {
        const resId = this.props.record.resId;
        return this.queueState.actions.some(
            (action) => action.visitId === resId && action.kind === this.props.action
        );
    }

    get label() {
        if (this.state.busy) {
            return _t("Locating…");
        }
        if (this.isPending) {
            return this.isCheckIn
                ? _t("Check-in saved on the phone")
                : _t("Check-out saved on the phone");
        }
        return this.isCheckIn ? _t("Check In") : _t("Check Out");
    }

    get visitName() {
        const { name, partner_id: partner } = this.props.record.data;
        const customer = Array.isArray(partner) ? partner[1] : partner?.display_name;
        return [name, customer].filter(Boolean).join(" · ");
    }

    async onClick() {
        if (this.state.busy || this.isPending) {
            return;
        }
        this.state.busy = true;
        const record = this.props.record;
        const deviceTime = deviceNow();
        let offline = false;
        try {
            if (await record.isDirty()) {
                let saved;
                try {
                    saved = await record.save();
                } catch (error) {
                    if (!isNetworkError(error)) {
                        throw error;
                    }
                    // the outcome typed offline travels with the check-out
                    saved = offline = true;
                }
                if (!saved) {
                    return;
                }
            }
            const position = await getDevicePosition();
            const kwargs = position
                ? { latitude: position.latitude, longitude: position.longitude }
                : {};
            const resId = record.resId;
            // what waits on the phone happened before: it goes first
            if (!offline && this.queue.count) {
                await this.queue.flush();
            }
            offline = offline || this.queue.count > 0 || browser.navigator.onLine === false;
            if (!offline) {
                try {
                    await this.orm.call(
                        "spm.visit",
                        `action_${this.props.action}`,
                        [[resId]],
                        kwargs
                    );
                } catch (error) {
                    if (!isNetworkError(error)) {
                        throw error;
                    }
                    offline = true;
                }
            }
            if (offline) {
                await this.queue.enqueue({
                    visitId: resId,
                    visitName: this.visitName,
                    kind: this.props.action,
                    deviceTime,
                    outcome: this.isCheckIn ? undefined : record.data.outcome || undefined,
                    ...kwargs,
                });
                this.notification.add(
                    _t(
                        "No network: saved on the phone, with its time and position. It will be sent when the network returns."
                    ),
                    { type: "warning" }
                );
                return;
            }
            if (!position) {
                this.notification.add(
                    _t("No position from this device: the visit is recorded as unverified."),
                    { type: "warning" }
                );
            } else if (this.isCheckIn) {
                const [visit] = await this.orm.read("spm.visit", [resId], ["location_status"]);
                if (visit?.location_status === "location_unconfirmed") {
                    this.notification.add(
                        _t(
                            "The customer's location has not been confirmed by a sales manager yet: this check-in is recorded as unverified."
                        ),
                        { type: "warning" }
                    );
                }
            }
            if (this.env.config?.viewType === "kanban") {
                await record.model.load();
            } else {
                await record.load();
            }
        } finally {
            this.state.busy = false;
        }
    }
}

export const visitGeoButton = {
    component: VisitGeoButton,
    extractProps: ({ attrs }) => ({ action: attrs.action || "check_in" }),
};

registry.category("view_widgets").add("spm_visit_geo_button", visitGeoButton);
