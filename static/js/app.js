// On every page: the service worker (pages kept for offline use, push messages), the offline
// notice, push messages on the settings page, and forgetting this device's push subscription
// on log-out.

const csrfToken = () => document.querySelector('input[name="csrf_token"]')?.value || "";

function postJson(url, body) {
  return fetch(url, {
    method: "POST", credentials: "same-origin", keepalive: true,
    headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
    body: JSON.stringify(body),
  });
}

function showOfflineNotice() {
  const notice = document.querySelector("[data-offline-notice]");
  if (!notice) return;
  const update = () => { notice.hidden = navigator.onLine; };
  addEventListener("online", update);
  addEventListener("offline", update);
  update();
}

async function startServiceWorker() {
  if (!("serviceWorker" in navigator)) return null;
  try {
    await navigator.serviceWorker.register("/sw.js", {scope: "/"});
    const registration = await navigator.serviceWorker.ready;
    // Whose pages these are: the worker throws away pages kept for someone else.
    registration.active?.postMessage({type: "account", key: document.body.dataset.account});
    return registration;
  } catch (error) {
    return null;
  }
}

async function setUpPush(section, registration) {
  const on = section.querySelector(".push-on");
  const off = section.querySelector(".push-off");
  const status = section.querySelector(".push-status");
  const say = (name) => { status.textContent = section.dataset[name]; };
  if (!registration || !("PushManager" in window) || !("Notification" in window)) {
    say("textUnsupported");
    return;
  }
  let subscription = await registration.pushManager.getSubscription();
  const show = () => { on.hidden = Boolean(subscription); off.hidden = !subscription; };
  show();
  on.addEventListener("click", async () => {
    try {
      if (await Notification.requestPermission() !== "granted") {
        say("textDenied");
        return;
      }
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: section.dataset.pushKey});
      const response = await postJson(section.dataset.pushSubscribe, subscription.toJSON());
      say(response.ok ? "textOn" : "textFailed");
    } catch (error) {
      say("textFailed");
    }
    show();
  });
  off.addEventListener("click", async () => {
    if (subscription) {
      await postJson(section.dataset.pushUnsubscribe, {endpoint: subscription.endpoint});
      await subscription.unsubscribe();
      subscription = null;
    }
    say("textOff");
    show();
  });
}

function forgetPushOnLogOut(registration) {
  document.querySelectorAll("form[data-log-out]").forEach((form) => {
    form.addEventListener("submit", () => {
      registration?.pushManager?.getSubscription().then((subscription) => {
        if (!subscription) return;
        postJson(form.dataset.pushUnsubscribe, {endpoint: subscription.endpoint});
        subscription.unsubscribe();
      });
    });
  });
}

showOfflineNotice();
startServiceWorker().then((registration) => {
  forgetPushOnLogOut(registration);
  const section = document.querySelector(".push-device");
  if (section) setUpPush(section, registration);
});
