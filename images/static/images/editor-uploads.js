/* Picture uploads from CKEditor 4 (paste, drop, the image dialog's upload tab)
   to images.views.upload, loaded on the article editor's page after ckeditor.js.

   1. Every upload request carries Django's CSRF token in X-CSRFToken: the
      upload view is CSRF-protected like every other POST.
   2. When the server refuses a picture (400/403 with CKEditor's JSON,
      {"uploaded": 0, "error": {"message": "…"}}), the editor shows that
      Chinese message. CKEditor 4.22 would show a bare "HTTP error" for any
      non-2xx answer: its fileLoader sets xhr.onload inside
      attachRequestListeners(), so we wrap that method and answer 4xx JSON
      ourselves (tests/images/test_editor_script.py fails by name if the
      shipped CKEditor no longer has it). */
(function () {
  "use strict";

  if (!window.CKEDITOR) {
    return;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) {
      return input.value;
    }
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return cookie ? decodeURIComponent(cookie[1]) : "";
  }

  function sendCsrfToken(editor) {
    // Priority 10: after CKEditor opens the request (5), before it sends it (999).
    editor.on("fileUploadRequest", function (event) {
      event.data.fileLoader.xhr.setRequestHeader("X-CSRFToken", csrfToken());
    });
  }

  Object.keys(CKEDITOR.instances).forEach(function (name) {
    sendCsrfToken(CKEDITOR.instances[name]);
  });
  CKEDITOR.on("instanceCreated", function (event) {
    sendCsrfToken(event.editor);
  });

  function refusalMessage(xhr) {
    if (xhr.status < 400 || xhr.status > 499) {
      return "";
    }
    try {
      var body = JSON.parse(xhr.responseText);
      return (body && body.error && typeof body.error.message === "string" && body.error.message) || "";
    } catch (notJson) {
      return "";
    }
  }

  var wrapped = false;

  function showRefusals() {
    var FileLoader = CKEDITOR.fileTools && CKEDITOR.fileTools.fileLoader;
    if (wrapped || !FileLoader) {
      return; // done already, or the upload plugins are not loaded yet
    }
    wrapped = true;
    var attach = FileLoader.prototype.attachRequestListeners;
    if (typeof attach !== "function") {
      window.console && window.console.warn("editor-uploads.js: CKEditor's fileLoader changed; refusals show as HTTP errors.");
      return;
    }
    FileLoader.prototype.attachRequestListeners = function () {
      attach.apply(this, arguments);
      var loader = this;
      var xhr = this.xhr;
      var ckeditorOnload = xhr.onload;
      xhr.onload = function () {
        var message = refusalMessage(xhr);
        if (!message || loader.status === "abort") {
          return ckeditorOnload.apply(this, arguments);
        }
        // What CKEditor does for an HTTP error, with the server's message.
        loader.uploaded = loader.uploadTotal;
        loader.message = message;
        loader.changeStatus("error");
      };
    };
  }

  // fileTools comes with ckeditor.js (bundled) or with an editor's plugins.
  showRefusals();
  CKEDITOR.on("instanceLoaded", showRefusals);
})();
