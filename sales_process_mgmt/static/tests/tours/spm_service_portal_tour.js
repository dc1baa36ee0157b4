import { registry } from "@web/core/registry";

// A customer's contact on a phone opens his portal, the company's service requests, one
// of them, and answers it in its chatter: the pages fit the phone.
function checkFitsThePhone(what) {
    const page = document.scrollingElement;
    if (page.scrollWidth > page.clientWidth + 1) {
        throw new Error(`${what} scrolls sideways: ${page.scrollWidth} px in ${page.clientWidth} px`);
    }
}

registry.category("web_tour.tours").add("spm_service_portal_tour", {
    steps: () => [
        {
            content: "Open the service requests from the portal home",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/service-requests']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the request whose screen flickers",
            trigger: "tr.o_spm_portal_service_request:contains('Screen flickers') a",
            run() {
                checkFitsThePhone("The list of service requests");
                this.anchor.click();
            },
            expectUnloadPage: true,
        },
        {
            content: "Write an answer in the request's chatter",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit I can bring it tomorrow morning.",
        },
        {
            content: "Send it",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The answer is in the chatter and the page fits the phone",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('I can bring it tomorrow')",
            run() {
                checkFitsThePhone("The service request's page");
            },
        },
    ],
});
