import { registry } from "@web/core/registry";
import { patch } from "@web/core/utils/patch";
import { session } from "@web/session";
import { ListController } from "@web/views/list/list_controller";
import { exportAllItem } from "@web/views/list/export_all/export_all";

// Leak control: a rep is refused the export of the customer book by the server
// (spm_export_guard.py); the list views of those models do not offer it to him.
function exportRefused(resModel) {
    return (session.spm_export_refused_models || []).includes(resModel);
}

patch(ListController.prototype, {
    get isExportEnable() {
        return this.spmExportEnable && !exportRefused(this.props.resModel);
    },
    set isExportEnable(value) {
        this.spmExportEnable = value;
    },
});

registry.category("cogMenu").add(
    "export-all-menu",
    {
        ...exportAllItem,
        isDisplayed: async (env) =>
            !exportRefused(env.searchModel.resModel) && (await exportAllItem.isDisplayed(env)),
    },
    { sequence: 10, force: true }
);
