import { EventBus, reactive } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { serializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { ConnectionLostError, RPCError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { session } from "@web/session";
import { photoStore } from "./photo_store";

const { DateTime } = luxon;

/**
 * Check-ins, check-outs and photos kept on the phone while it has no network.
 *
 * The visit buttons hand an action to this service when the server cannot be reached;
 * the action (visit, kind, position, device time and a key of its own) is kept in the
 * browser's local storage, per database and user (a photo's image in IndexedDB,
 * photo_store.js), and sent to
 * ``spm.visit.spm_replay_action`` when the network returns: on the browser's "online"
 * event, every RETRY_INTERVAL_MS while My Day is open, and before any new check-in or
 * check-out. Actions are sent one by one, oldest first; each leaves the queue once the
 * server answered, recorded (its key makes a second send harmless) or refused (the
 * refusal is shown). A server error that is not a refusal keeps it for a later try.
 */

export const RETRY_INTERVAL_MS = 30000;
// The server's answers that say the action will never be recorded.
const REFUSALS = new Set([
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
]);

/** A random key (RFC 4122 version 4); crypto.randomUUID needs https, this does not. */
export function newActionKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return [
        hex.slice(0, 8),
        hex.slice(8, 12),
        hex.slice(12, 16),
        hex.slice(16, 20),
        hex.slice(20),
    ].join("-");
}

/** Whether an RPC failed for want of network rather than by the server's answer. */
export function isNetworkError(error) {
    return error instanceof ConnectionLostError;
}

export function deviceNow() {
    return serializeDateTime(DateTime.now());
}

export const spmOfflineQueueService = {
    dependencies: ["orm", "notification"],
    start(env, { orm, notification }) {
        const storageKey = `sales_process_mgmt.offline_queue:${session.db || ""}:${user.userId}`;
        const bus = new EventBus();
        const state = reactive({ actions: load(), sending: false });
        let flushing = null;

        function load() {
            try {
                const actions = JSON.parse(browser.localStorage.getItem(storageKey) || "[]");
                return Array.isArray(actions) ? actions : [];
            } catch {
                return [];
            }
        }
        function store(actions) {
            browser.localStorage.setItem(storageKey, JSON.stringify(actions));
            state.actions = actions;
        }

        function photoKey(key) {
            return `${storageKey}:${key}`;
        }

        // Actions join the queue one after the other, in the order they were handed
        // over, though a photo's image takes a moment to be stored.
        let enqueued = Promise.resolve();

        /**
         * Keep an action on the phone: a check-in or check-out, or a photo (``image``
         * in base64 and its description ``name``). Resolves to the action with its key
         * and device time once it is in the queue; rejects when the phone could not
         * keep the photo.
         */
        function enqueue({
            visitId,
            visitName,
            kind,
            latitude,
            longitude,
            outcome,
            deviceTime,
            image,
            name,
        }) {
            const action = {
                key: newActionKey(),
                visitId,
                visitName: visitName || "",
                kind,
                deviceTime: deviceTime || deviceNow(),
                latitude: latitude ?? null,
                longitude: longitude ?? null,
            };
            if (typeof outcome === "string") {
                action.outcome = outcome;
            }
            if (typeof name === "string" && name) {
                action.name = name;
            }
            const done = enqueued.then(async () => {
                if (kind === "photo") {
                    try {
                        await photoStore.put(photoKey(action.key), image);
                    } catch {
                        throw new Error(
                            _t(
                                "The photo could not be kept on the phone: its storage is full or not available. Take it again once the network is back."
                            )
                        );
                    }
                }
                // another tab may have kept actions since this one loaded
                store([...load(), action]);
                return action;
            });
            enqueued = done.catch(() => {});
            return done;
        }

        function remove(action) {
            store(load().filter((kept) => kept.key !== action.key));
            if (action.kind === "photo") {
                photoStore.delete(photoKey(action.key)).catch(() => {});
            }
        }

        function isPending(visitId, kind) {
            return state.actions.some(
                (action) => action.visitId === visitId && (!kind || action.kind === kind)
            );
        }

        async function send(action) {
            const kwargs = {
                key: action.key,
                kind: action.kind,
                visit_id: action.visitId,
                device_time: action.deviceTime,
            };
            if (action.latitude !== null && action.longitude !== null) {
                kwargs.latitude = action.latitude;
                kwargs.longitude = action.longitude;
            }
            if (action.kind === "check_out" && typeof action.outcome === "string") {
                kwargs.outcome = action.outcome;
            }
            if (action.kind === "photo") {
                kwargs.image = await photoStore.get(photoKey(action.key)).catch(() => undefined);
                if (!kwargs.image) {
                    return null;
                }
                if (action.name) {
                    kwargs.name = action.name;
                }
            }
            return orm.silent.call("spm.visit", "spm_replay_action", [], kwargs);
        }

        /** Send what waits, oldest first; resolves to the visits recorded. */
        function flush() {
            if (!flushing) {
                flushing = doFlush().finally(() => {
                    flushing = null;
                    state.sending = false;
                });
            }
            return flushing;
        }

        async function doFlush() {
            const sent = [];
            state.sending = true;
            while (browser.navigator.onLine !== false) {
                const [action] = load();
                if (!action) {
                    break;
                }
                try {
                    const result = await send(action);
                    if (!result) {
                        // the browser dropped the photo's image (its storage was cleared)
                        notification.add(
                            _t(
                                "The photo kept on the phone is no longer in the browser's storage: take it again."
                            ),
                            {
                                title: _t("Not recorded: %(visit)s", { visit: action.visitName }),
                                type: "danger",
                                sticky: true,
                            }
                        );
                        remove(action);
                        continue;
                    }
                    sent.push(result);
                    if (result?.clamped && !result.duplicate) {
                        notification.add(
                            _t(
                                "%(visit)s: the time of the phone was outside what the server knows; the visit keeps %(time)s (UTC).",
                                { visit: result.visit, time: result.recorded_time }
                            ),
                            { type: "warning" }
                        );
                    }
                } catch (error) {
                    if (isNetworkError(error)) {
                        break;
                    }
                    if (!(error instanceof RPCError) || !REFUSALS.has(error.exceptionName)) {
                        notification.add(
                            _t(
                                "The server could not record an action kept on the phone; it is kept and sent again later."
                            ),
                            { type: "danger" }
                        );
                        break;
                    }
                    notification.add(error.data?.message || error.message, {
                        title: _t("Not recorded: %(visit)s", { visit: action.visitName }),
                        type: "danger",
                        sticky: true,
                    });
                }
                remove(action);
            }
            if (sent.length) {
                notification.add(
                    _t("Sent: %(count)s action(s) kept on the phone are recorded.", {
                        count: sent.length,
                    }),
                    { type: "success" }
                );
                bus.trigger("SENT", {
                    visitIds: sent.map((result) => result.visit_id),
                    results: sent,
                });
            }
            return sent;
        }

        browser.addEventListener("online", () => flush());
        // keep the count of every tab right
        browser.addEventListener("storage", (ev) => {
            if (ev.key === storageKey) {
                state.actions = load();
            }
        });
        if (state.actions.length) {
            // the web client has just loaded: the network is back
            browser.setTimeout(() => flush(), 1000);
        }

        return {
            bus,
            state,
            enqueue,
            flush,
            isPending,
            get count() {
                return state.actions.length;
            },
        };
    },
};

registry.category("services").add("spm_offline_queue", spmOfflineQueueService);
