import { registry } from "@web/core/registry";

// A rep on a phone opens each entry of the app's menu in turn, as a rep does: the menu
// button, then the entry. A list opens as cards (the kanban view); a form opens as a
// dialog. Nothing on the screen scrolls sideways: not the page, not the action's
// content, not any box inside it. The entries come from the test
// (window.spmPhoneMenus: the menus the rep sees), so a new menu entry is checked too.

const SEEN = "o_spm_phone_seen";

function describe(el) {
    const classes = [...el.classList].slice(0, 4).join(".");
    return `<${el.tagName.toLowerCase()}${classes ? "." + classes : ""}> ${el.scrollWidth} px wide in ${el.clientWidth} px`;
}

export function assertNoSidewaysScroll(root, name) {
    const offenders = [];
    const page = document.scrollingElement;
    if (page.scrollWidth > page.clientWidth + 1) {
        offenders.push(`the page: ${page.scrollWidth} px wide in ${page.clientWidth} px`);
    }
    for (const el of [root, ...root.querySelectorAll("*")]) {
        if (el.scrollWidth <= el.clientWidth + 1) {
            continue;
        }
        const overflowX = getComputedStyle(el).overflowX;
        if (el.matches(".o_content") || overflowX === "auto" || overflowX === "scroll") {
            offenders.push(describe(el));
        }
    }
    if (offenders.length) {
        // what sticks out past the right edge of the screen, innermost first
        const right = document.documentElement.clientWidth;
        const outside = [...root.querySelectorAll("*")]
            .filter((el) => el.getBoundingClientRect().right > right + 1)
            .reverse()
            .slice(0, 3)
            .map(
                (el) =>
                    `<${el.tagName.toLowerCase()} class="${el.className}" in "${el.parentElement.className}">` +
                    ` "${el.textContent.trim().slice(0, 30)}"`
            );
        throw new Error(
            `${name} scrolls sideways on a phone: ${offenders.join("; ")}; sticking out: ${outside.join(", ")}`
        );
    }
}

function entrySteps({ xmlid, name, dialog }) {
    const steps = [
        {
            content: `Open the app's menu to choose ${name}`,
            trigger: ".o_main_navbar .o_menu_toggle",
            async run(helpers) {
                for (const el of document.querySelectorAll(".o_action_manager .o_view_controller")) {
                    el.classList.add(SEEN);
                }
                await helpers.click();
            },
        },
        {
            content: `Choose ${name}`,
            trigger: `.o_app_menu_sidebar [data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
    ];
    if (dialog) {
        return [
            ...steps,
            {
                content: `${name} opens as a dialog that fits the phone`,
                trigger: ".modal .o_form_view",
                run() {
                    assertNoSidewaysScroll(document.querySelector(".modal"), name);
                },
            },
            {
                content: `Close ${name}`,
                trigger: ".modal .modal-footer .btn-secondary",
                run: "click",
            },
            {
                content: "The dialog is closed",
                trigger: "body:not(:has(.modal))",
            },
        ];
    }
    return [
        ...steps,
        {
            content: `${name} opens as cards that fit the phone`,
            trigger: `.o_action_manager .o_view_controller:not(.${SEEN})`,
            run() {
                const controller = this.anchor;
                if (!controller.classList.contains("o_kanban_view")) {
                    throw new Error(`${name} opens as ${controller.className}, not as cards`);
                }
                assertNoSidewaysScroll(controller, name);
            },
        },
    ];
}

registry.category("web_tour.tours").add("spm_phone_menus_tour", {
    steps: () => [
        {
            content: "My Day is open on the phone",
            trigger: ".o_action_manager .o_kanban_view",
            run() {
                if (!window.spmPhoneMenus?.length) {
                    throw new Error("No menu entries to open: the test gives them");
                }
            },
        },
        ...(window.spmPhoneMenus || []).flatMap(entrySteps),
    ],
});
