/* The editor's picture library window (templates/images/browse.html): a click
   on a picture hands its address to the CKEditor dialog that opened this
   window, fills in the alternative text if still empty, and closes. A static
   file with data- attributes, so the page needs no inline script (CSP). */
(function () {
  "use strict";

  function fillAlt(alt) {
    // Called by CKEditor with `this` = the dialog field that asked for a file.
    return function () {
      var dialog = this.getDialog && this.getDialog();
      var field = dialog && (dialog.getContentElement("info", "alt") || dialog.getContentElement("info", "txtAlt"));
      if (alt && field && !field.getValue()) {
        field.setValue(alt);
      }
    };
  }

  document.addEventListener("click", function (event) {
    var choice = event.target.closest(".picture-choice");
    var library = document.getElementById("picture-library");
    if (!choice || !library) {
      return;
    }
    var funcNum = library.getAttribute("data-func-num");
    var editor = window.opener && window.opener.CKEDITOR;
    if (!funcNum || !editor) {
      window.alert("请从编辑器的“图像”对话框里打开图片库，再点击图片。");
      return;
    }
    editor.tools.callFunction(Number(funcNum), choice.getAttribute("data-url"), fillAlt(choice.getAttribute("data-alt")));
    window.close();
  });
})();
