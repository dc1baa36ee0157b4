import { registry } from "@web/core/registry";

const BLOCKED =
    /\/web\/dataset\/call_kw\/(spm\.visit\/(action_check_in|action_check_out|spm_replay_action)|spm\.visit\.photo\/create)$/;

/** The phone loses its network for the visit's check-in and photo calls: they fail as a
 * dropped connection does. */
function loseNetwork() {
    window.__spmNetworkLost = true;
    if (window.__spmNetworkPatched) {
        return;
    }
    window.__spmNetworkPatched = true;
    const { open, send } = XMLHttpRequest.prototype;
    XMLHttpRequest.prototype.open = function (method, url, ...rest) {
        this.__spmUrl = url;
        return open.call(this, method, url, ...rest);
    };
    XMLHttpRequest.prototype.send = function (body) {
        if (window.__spmNetworkLost && BLOCKED.test(this.__spmUrl || "")) {
            setTimeout(() => this.dispatchEvent(new ProgressEvent("error")));
            return;
        }
        return send.call(this, body);
    };
}

function stubPosition() {
    Object.defineProperty(navigator, "geolocation", {
        configurable: true,
        value: {
            getCurrentPosition(success) {
                success({ coords: { latitude: 31.2306, longitude: 121.4737, accuracy: 12 } });
            },
        },
    });
}

/** What the phone's camera gives: a photo file chosen in the visit's file input. */
async function takePhoto(input) {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 480;
    const context = canvas.getContext("2d");
    context.fillStyle = "#3a7bd5";
    context.fillRect(0, 0, 640, 480);
    context.fillStyle = "#ffd200";
    context.fillRect(80, 60, 300, 200);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "shelf.jpg", { type: "image/jpeg" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

// In a basement shop the phone has no network: the rep checks in on My Day, the
// check-in is kept on the phone, and it is sent once the network returns.
registry.category("web_tour.tours").add("spm_visit_offline_tour", {
    steps: () => [
        {
            content: "The planned visit is on My Day; the phone is at the shop, without network",
            trigger: ".o_spm_visit_kanban .o_kanban_record:contains('Basement Outlet') button.o_spm_check_in",
            run() {
                stubPosition();
                loseNetwork();
            },
        },
        {
            content: "Check in",
            trigger: ".o_kanban_record:contains('Basement Outlet') button.o_spm_check_in",
            run: "click",
        },
        {
            content: "The check-in is kept on the phone",
            trigger: ".o_kanban_record:contains('Basement Outlet') button.o_spm_geo_pending:disabled",
        },
        {
            content: "My Day shows one action waiting to be sent; the network returns",
            trigger: ".o_spm_offline_banner .o_spm_offline_count:contains('1')",
            run() {
                const banners = document.querySelectorAll(".o_spm_offline_banner").length;
                if (banners !== 1) {
                    throw new Error(`My Day shows ${banners} offline banners, not one`);
                }
                window.__spmNetworkLost = false;
                window.dispatchEvent(new Event("online"));
            },
        },
        {
            content: "Nothing waits any more and the visit is checked in",
            trigger: ".o_spm_visit_kanban:not(:has(.o_spm_offline_banner)) .o_kanban_record:contains('Basement Outlet') button.o_spm_check_out",
        },
        {
            content: "The check-in is verified",
            trigger: ".o_kanban_record:contains('Basement Outlet') .o_field_widget[name=location_status]:contains('Verified')",
        },
    ],
});

// Without network, the rep checks in and takes a photo of the shelf in the visit's
// Photos: both are kept on the phone and sent in order once the network returns.
registry.category("web_tour.tours").add("spm_visit_offline_photo_tour", {
    steps: () => [
        {
            content: "The planned visit is on My Day; the phone is at the shop, without network",
            trigger: ".o_spm_visit_kanban .o_kanban_record:contains('Cellar Outlet') button.o_spm_check_in",
            run() {
                stubPosition();
                loseNetwork();
            },
        },
        {
            content: "Check in",
            trigger: ".o_kanban_record:contains('Cellar Outlet') button.o_spm_check_in",
            run: "click",
        },
        {
            content: "The check-in is kept on the phone",
            trigger: ".o_kanban_record:contains('Cellar Outlet') button.o_spm_geo_pending:disabled",
        },
        {
            content: "Open the visit",
            trigger: ".o_kanban_record:contains('Cellar Outlet') .o_spm_visit_customer",
            run: "click",
        },
        {
            content: "Open the Photos tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Photos')",
            run: "click",
        },
        {
            content: "Take a photo of the shelf",
            trigger: ".o_form_view .o_spm_photo_button button.o_spm_take_photo:enabled",
            async run() {
                await takePhoto(document.querySelector(".o_form_view .o_spm_photo_input"));
            },
        },
        {
            content: "The photo is kept on the phone",
            trigger: ".o_form_view .o_spm_photo_kept:contains('1')",
        },
        {
            content: "Back to My Day",
            trigger: ".o_back_button",
            run: "click",
        },
        {
            content: "My Day shows two actions waiting to be sent; the network returns",
            trigger: ".o_spm_offline_banner .o_spm_offline_count:contains('2')",
            run() {
                window.__spmNetworkLost = false;
                window.dispatchEvent(new Event("online"));
            },
        },
        {
            content: "Nothing waits any more and the visit is checked in",
            trigger: ".o_spm_visit_kanban:not(:has(.o_spm_offline_banner)) .o_kanban_record:contains('Cellar Outlet') button.o_spm_check_out",
        },
    ],
});
