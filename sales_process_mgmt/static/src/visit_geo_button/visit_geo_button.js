import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

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
        this.state = useState({ busy: false });
    }

    get isCheckIn() {
        return this.props.action === "check_in";
    }

    get label() {
        if (this.state.busy) {
            return _t("Locating…");
        }
        return this.isCheckIn ? _t("Check In") : _t("Check Out");
    }

    async onClick() {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        const record = this.props.record;
        try {
            if (await record.isDirty()) {
                const saved = await record.save();
                if (!saved) {
                    return;
                }
            }
            const position = await getDevicePosition();
            const kwargs = position
                ? { latitude: position.latitude, longitude: position.longitude }
                : {};
            const resId = record.resId;
            await this.orm.call("spm.visit", `action_${this.props.action}`, [[resId]], kwargs);
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
