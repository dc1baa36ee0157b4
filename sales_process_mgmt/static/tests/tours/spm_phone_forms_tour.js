import { registry } from "@web/core/registry";

// A rep opens a form on a phone and goes through its tabs: no list inside it (a one2many
// or many2many field) scrolls sideways (a kanban subview shows it as cards). The fields
// that must be seen come from the test (window.spmPhoneFormFields), so that a field
// hidden by mistake is not taken for one that fits.

function nextFrame() {
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
}

async function waitFor(condition, what) {
    for (let tries = 0; tries < 100; tries++) {
        if (condition()) {
            return;
        }
        await nextFrame();
    }
    throw new Error(`Timed out waiting for ${what}`);
}

function sidewaysScroll(root) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
        if (el.scrollWidth <= el.clientWidth + 1) {
            continue;
        }
        const overflowX = getComputedStyle(el).overflowX;
        if (overflowX === "auto" || overflowX === "scroll") {
            const classes = [...el.classList].slice(0, 4).join(".");
            return `<${el.tagName.toLowerCase()}.${classes}> ${el.scrollWidth} px wide in ${el.clientWidth} px`;
        }
    }
    const right = document.documentElement.clientWidth;
    if (root.getBoundingClientRect().right > right + 1) {
        return `it ends ${Math.round(root.getBoundingClientRect().right - right)} px past the screen`;
    }
    return null;
}

function checkFields(tabName, seen, problems) {
    const selector = ".o_form_view .o_field_widget.o_field_one2many, .o_form_view .o_field_widget.o_field_many2many";
    for (const field of document.querySelectorAll(selector)) {
        const name = field.getAttribute("name");
        seen.add(name);
        const scroll = sidewaysScroll(field);
        if (scroll) {
            problems.push(`${tabName} / ${name} scrolls sideways: ${scroll}`);
        }
    }
}

registry.category("web_tour.tours").add("spm_phone_forms_tour", {
    steps: () => [
        {
            content: "The form is open on the phone; go through its tabs",
            trigger: ".o_form_view .o_form_sheet .o_notebook",
            async run() {
                const seen = new Set();
                const problems = [];
                checkFields("(no tab)", seen, problems);
                const tabs = document.querySelectorAll(".o_form_view .o_notebook_headers .nav-link");
                for (const tab of tabs) {
                    const tabName = tab.textContent.trim();
                    tab.click();
                    await waitFor(() => tab.classList.contains("active"), `the tab ${tabName}`);
                    // the x2many fields of the page load their records
                    await waitFor(
                        () => !document.querySelector(".o_form_view .o_field_x2many .o_view_nocontent_loading"),
                        `the lists of ${tabName}`
                    );
                    await nextFrame();
                    checkFields(tabName, seen, problems);
                }
                const missing = (window.spmPhoneFormFields || []).filter((name) => !seen.has(name));
                if (missing.length) {
                    problems.push(`not shown on any tab: ${missing.join(", ")}`);
                }
                if (problems.length) {
                    throw new Error(`The form does not fit a phone: ${problems.join("; ")}`);
                }
                document.body.classList.add("o_spm_phone_form_checked");
            },
        },
        {
            content: "Every tab was checked",
            trigger: "body.o_spm_phone_form_checked",
        },
    ],
});
