import { Component, useRef, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { getDataURLFromFile } from "@web/core/utils/urls";
import { useBus, useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { deviceNow, isNetworkError } from "../offline_queue/offline_queue_service";
import { getDevicePosition } from "../visit_geo_button/visit_geo_button";
import { NotAPhotoError, shrinkPhoto } from "./shrink_photo";

const PHOTO_STATES = ["in_progress", "done"];

/**
 * Take Photo in a visit's Photos: the phone's camera (or a file), and the photo is
 * added to the visit at once (the server records its time, position and stamp). Without
 * network, or while earlier actions of the phone wait to be sent (the check-in it
 * follows, say), the photo is kept on the phone, reduced, with its device time and
 * position, and sent after them by the offline queue.
 */
export class VisitPhotoButton extends Component {
    static template = "sales_process_mgmt.VisitPhotoButton";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.queue = useService("spm_offline_queue");
        this.queueState = useState(this.queue.state);
        this.state = useState({ busy: false });
        this.input = useRef("input");
        // the photos the phone sent once the network returned appear on the visit
        useBus(this.queue.bus, "SENT", async (ev) => {
            const record = this.props.record;
            const photoSent = (ev.detail.results || []).some(
                (result) => result.kind === "photo" && result.visit_id === record.resId
            );
            if (photoSent && !(await record.isDirty())) {
                await record.load();
            }
        });
    }

    get resId() {
        return this.props.record.resId;
    }

    /** Photos are taken on a visit checked in, or whose check-in waits on the phone. */
    get isShown() {
        return (
            Boolean(this.resId) &&
            (PHOTO_STATES.includes(this.props.record.data.state) ||
                this.queueState.actions.some(
                    (action) => action.visitId === this.resId && action.kind === "check_in"
                ))
        );
    }

    get keptCount() {
        return this.queueState.actions.filter(
            (action) => action.visitId === this.resId && action.kind === "photo"
        ).length;
    }

    get visitName() {
        const { name, partner_id: partner } = this.props.record.data;
        const customer = Array.isArray(partner) ? partner[1] : partner?.display_name;
        return [name, customer].filter(Boolean).join(" · ");
    }

    onClick() {
        if (!this.state.busy) {
            this.input.el.click();
        }
    }

    async onFileChange(ev) {
        const [file] = ev.target.files;
        ev.target.value = "";
        if (!file || this.state.busy) {
            return;
        }
        this.state.busy = true;
        const deviceTime = deviceNow();
        try {
            const record = this.props.record;
            let offline = this.queue.count > 0 || browser.navigator.onLine === false;
            if (!offline && (await record.isDirty())) {
                try {
                    if (!(await record.save())) {
                        return;
                    }
                } catch (error) {
                    if (!isNetworkError(error)) {
                        throw error;
                    }
                    offline = true;
                }
            }
            if (!offline) {
                // what waits on the phone happened before: it goes first
                offline = !(await this.addOnline(file));
            }
            if (offline) {
                await this.keepOnPhone(file, deviceTime);
                return;
            }
            await record.load();
        } finally {
            this.state.busy = false;
        }
    }

    /** Add the photo as taken; false when the server cannot be reached. */
    async addOnline(file) {
        if (this.queue.count) {
            await this.queue.flush();
            if (this.queue.count) {
                return false;
            }
        }
        const dataUrl = await getDataURLFromFile(file);
        try {
            await this.orm.create("spm.visit.photo", [
                { visit_id: this.resId, image: dataUrl.split(",")[1] || "" },
            ]);
        } catch (error) {
            if (isNetworkError(error)) {
                return false;
            }
            throw error;
        }
        return true;
    }

    async keepOnPhone(file, deviceTime) {
        let image;
        try {
            image = await shrinkPhoto(file);
        } catch (error) {
            if (!(error instanceof NotAPhotoError)) {
                throw error;
            }
            this.notification.add(
                _t("%(file)s is not a photo: only images can be kept as visit photos.", {
                    file: file.name,
                }),
                { type: "danger" }
            );
            return;
        }
        if (!image) {
            this.notification.add(
                _t("This photo is too large to be kept on the phone: take it at a lower resolution."),
                { type: "danger" }
            );
            return;
        }
        const position = await getDevicePosition();
        try {
            await this.queue.enqueue({
                visitId: this.resId,
                visitName: this.visitName,
                kind: "photo",
                deviceTime,
                image,
                ...(position || {}),
            });
        } catch (error) {
            this.notification.add(error.message, { type: "danger", sticky: true });
            return;
        }
        this.notification.add(
            _t(
                "No network: the photo is kept on the phone, with its time and position. It will be sent when the network returns."
            ),
            { type: "warning" }
        );
    }
}

export const visitPhotoButton = { component: VisitPhotoButton };

registry.category("view_widgets").add("spm_visit_photo_button", visitPhotoButton);
