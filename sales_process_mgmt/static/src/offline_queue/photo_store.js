/**
 * The photos kept on the phone without network, in the browser's IndexedDB: the local
 * storage that keeps the queue holds about 5 MB, a few photos only. One entry per
 * action (its key, prefixed with the database and the user), removed once the action
 * left the queue.
 */

const DB_NAME = "sales_process_mgmt.offline_photos";
const STORE = "photos";

function openDb() {
    return new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => request.result.createObjectStore(STORE);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
}

async function run(mode, operation) {
    const db = await openDb();
    try {
        return await new Promise((resolve, reject) => {
            const transaction = db.transaction(STORE, mode);
            const request = operation(transaction.objectStore(STORE));
            transaction.oncomplete = () => resolve(request.result);
            transaction.onerror = () => reject(transaction.error);
            transaction.onabort = () => reject(transaction.error);
        });
    } finally {
        db.close();
    }
}

export const photoStore = {
    /** Keep ``image`` (base64) under ``key``; rejects when the storage is full. */
    put(key, image) {
        return run("readwrite", (store) => store.put(image, key));
    },
    /** The image kept under ``key``, or undefined. */
    get(key) {
        return run("readonly", (store) => store.get(key));
    },
    delete(key) {
        return run("readwrite", (store) => store.delete(key));
    },
};
