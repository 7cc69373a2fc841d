// Starts the rasa-webchat widget. An external file, so the page's CSP can forbid inline scripts.
// Its texts come from the catalogue in the page's language (data-texts on #webchat, written by
// bot/channels/page.py), and follow the conversation's language when it switches ("English
// please", "auf Deutsch bitte"): the server tells the page with a `conversation_language` socket
// event every turn (bot/channels/socketio.py). It also gives the widget what assistive technology needs: names for
// the launcher, send and close buttons and the input, and a live region for new bot messages.
(function () {
  "use strict";

  // Below this width the chat is a launcher button; above it the chat is open next to the text.
  var MOBILE_QUERY = "(max-width: 767.98px)";
  var MAIN_COLOR = "#1f4e79";

  var element = document.getElementById("webchat");
  var status = document.getElementById("chat-status");
  var texts = readTexts(element);
  var textsByLanguage = texts.byLanguage || {};
  // The same object is sent with every message: its language is the channel's hint for the
  // server's own texts (rate limit, message too long) and follows the conversation.
  var customData = { language: texts.language || document.documentElement.lang || "de" };

  function readTexts(node) {
    try {
      return JSON.parse((node && node.getAttribute("data-texts")) || "{}");
    } catch (error) {
      return {};
    }
  }

  function showStatus(text) {
    if (!status) return;
    status.textContent = text || "";
    status.hidden = !text;
  }

  if (!element || !window.WebChat || typeof window.WebChat.default !== "function") {
    showStatus(texts.loadFailed);
    return;
  }

  // The widget turns Markdown links into <a> elements whatever their scheme, so a bot message
  // that echoes "[x](javascript:...)" typed by the user would become a live link. The CSP
  // already blocks javascript: URLs; this also keeps data:, file: and other schemes inert.
  element.addEventListener(
    "click",
    function (event) {
      var link = event.target && event.target.closest ? event.target.closest("a") : null;
      if (link && link.protocol !== "https:" && link.protocol !== "http:") {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );

  // --- accessibility of the widget's DOM (it renders and re-renders itself) -----------------

  function setAttribute(node, name, value) {
    if (node && value && node.getAttribute(name) !== value) node.setAttribute(name, value);
  }

  function setText(node, value) {
    if (node && value && node.textContent !== value) node.textContent = value;
  }

  // The conversation switched language: the widget's own texts, the chat panel's heading and the
  // language of the chat region follow (the rest of the page stays in the page's language).
  function followLanguage(language) {
    var next = textsByLanguage[language];
    if (!next || language === texts.language) return;
    texts = Object.assign({}, next, { language: language, byLanguage: textsByLanguage });
    customData.language = language;
    label(document.body);
  }

  function label(root) {
    var launcher = root.querySelector(".rw-launcher");
    if (launcher) {
      var open = root.querySelector(".rw-conversation-container") !== null;
      setAttribute(launcher, "aria-label", open ? texts.closeChat : texts.openChat);
      setAttribute(launcher, "aria-expanded", open ? "true" : "false");
      setAttribute(launcher, "type", "button");
    }
    root.querySelectorAll(".rw-send").forEach(function (button) {
      setAttribute(button, "aria-label", texts.send);
      setAttribute(button, "title", texts.send);
    });
    root.querySelectorAll(".rw-close-button").forEach(function (button) {
      setAttribute(button, "aria-label", texts.closeChat);
    });
    root.querySelectorAll(".rw-new-message").forEach(function (input) {
      setAttribute(input, "aria-label", texts.inputLabel);
      setAttribute(input, "placeholder", texts.inputHint);
    });
    root.querySelectorAll(".rw-header .rw-title").forEach(function (title) {
      setText(title, texts.title);
    });
    root.querySelectorAll(".rw-header > span").forEach(function (subtitle) {
      setText(subtitle, texts.subtitle);
    });
    setText(document.getElementById("chat-title"), texts.panelTitle);
    setText(document.querySelector(".chat-panel .chat-subtitle"), texts.panelSubtitle);
    setAttribute(document.getElementById("chat"), "lang", texts.language);
    // Bot messages and quick replies are appended here: announced politely, in order.
    root.querySelectorAll(".rw-messages-container").forEach(function (log) {
      setAttribute(log, "role", "log");
      setAttribute(log, "aria-live", "polite");
      setAttribute(log, "aria-relevant", "additions");
      setAttribute(log, "aria-label", texts.messages);
      // Scrollable content must be reachable by keyboard (WCAG 2.1.1).
      setAttribute(log, "tabindex", "0");
    });
    // Quick replies are <div>s with a click handler: make them buttons for the keyboard and
    // screen readers (Enter and Space are handled below).
    root.querySelectorAll("div.rw-reply").forEach(function (reply) {
      setAttribute(reply, "role", "button");
      setAttribute(reply, "tabindex", "0");
    });
    // Decorative pictures in the widget's buttons (the send arrow, the launcher's icons).
    root.querySelectorAll(".rw-launcher img, .rw-send img, .rw-close-button img, .rw-avatar").forEach(function (img) {
      setAttribute(img, "alt", "");
    });
  }

  element.addEventListener("keydown", function (event) {
    var reply = event.target && event.target.closest ? event.target.closest("div.rw-reply") : null;
    if (reply && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      reply.click();
    }
  });

  var labelling = false;
  var observer = new MutationObserver(function () {
    if (labelling) return;
    labelling = true;
    try {
      label(document.body);
    } finally {
      labelling = false;
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });

  var embedded = !window.matchMedia(MOBILE_QUERY).matches;
  document.documentElement.classList.add(embedded ? "chat-embedded" : "chat-launcher");

  window.WebChat.default(
    {
      socketUrl: window.location.origin,
      socketPath: "/socket.io/",
      // The page's language is the conversation's first hint (cancellation/language.py); after
      // that the conversation follows what the user writes.
      customData: customData,
      title: texts.title,
      subtitle: texts.subtitle,
      inputTextFieldHint: texts.inputHint,
      connectingText: texts.connecting,
      initPayload: "/greet",
      // sessionStorage: the history survives a reload but not closing the tab.
      params: { storage: "session" },
      embedded: embedded,
      showCloseButton: !embedded,
      showFullScreenButton: false,
      // Off: it would hand every document link to docs.google.com.
      docViewer: false,
      displayUnreadCount: false,
      showMessageDate: false,
      mainColor: MAIN_COLOR,
      userBackgroundColor: MAIN_COLOR,
      userTextColor: "#ffffff",
      assistBackgoundColor: "#eef1f5",
      assistTextColor: "#1a1a1a",
      // No session_confirm handler here: it would replace the widget's own, which shows the chat.
      onSocketEvent: {
        conversation_language: function (data) { followLanguage(data && data.language); },
        connect: function () { showStatus(""); },
        disconnect: function () { showStatus(texts.disconnected); },
        connect_error: function () { showStatus(texts.unreachable); }
      }
    },
    element
  );
  label(document.body);
})();
