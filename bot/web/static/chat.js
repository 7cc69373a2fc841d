// Starts the rasa-webchat widget. An external file, so the page's CSP can forbid inline scripts.
(function () {
  "use strict";

  // Below this width the chat is a launcher button; above it the chat is open next to the text.
  var MOBILE_QUERY = "(max-width: 767.98px)";
  var MAIN_COLOR = "#1f4e79";

  var element = document.getElementById("webchat");
  var status = document.getElementById("chat-status");

  function showStatus(text) {
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }

  if (!element || !window.WebChat || typeof window.WebChat.default !== "function") {
    showStatus("Der Chat konnte nicht geladen werden. Bitte laden Sie die Seite neu.");
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

  var embedded = !window.matchMedia(MOBILE_QUERY).matches;
  document.documentElement.classList.add(embedded ? "chat-embedded" : "chat-launcher");

  window.WebChat.default(
    {
      socketUrl: window.location.origin,
      socketPath: "/socket.io/",
      customData: { language: "de" },
      title: "Kündigungshilfe",
      subtitle: "Ihr Kündigungsschreiben im Chat",
      inputTextFieldHint: "Nachricht eingeben …",
      connectingText: "Verbindung wird hergestellt …",
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
        connect: function () { showStatus(""); },
        disconnect: function () {
          showStatus("Die Verbindung zum Chat ist unterbrochen. Sie wird automatisch neu aufgebaut …");
        },
        connect_error: function () {
          showStatus("Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es in ein paar Minuten erneut.");
        }
      }
    },
    element
  );
})();
