/* The article body editor (CKEditor 4): what the newsroom adds to it.
 *
 * - HTML is written the way the server stores it (<br>, not <br />), so what
 *   the editor shows and what is saved are the same bytes.
 * - A pasted or dropped picture, once uploaded, becomes a captioned figure
 *   (image2's <figure class="image">) ready for its 图片说明.
 *
 * Loaded by articles/editor.py beside django-ckeditor's own scripts; no
 * inline script anywhere.
 */
;(() => {
  "use strict"

  function escapeAttribute(value) {
    return String(value)
      .replace(/&/g, "&amp;")
      .replace(/"/g, "&quot;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
  }

  function captionedFigures(editor) {
    const widget = editor.widgets && editor.widgets.registered.uploadimage
    if (!widget) return
    widget.onUploaded = function (upload) {
      const img = this.parts.img.$
      const width = upload.responseData.width || img.naturalWidth
      const height = upload.responseData.height || img.naturalHeight
      this.replaceWith(
        '<figure class="image"><img src="' +
          escapeAttribute(upload.url) +
          '" alt="" width="' +
          Number(width) +
          '" height="' +
          Number(height) +
          '"><figcaption></figcaption></figure>',
      )
    }
  }

  function setUp(event) {
    const editor = event.editor
    editor.on("instanceReady", () => {
      editor.dataProcessor.writer.selfClosingEnd = ">"
      captionedFigures(editor)
    })
  }

  function whenReady() {
    if (!window.CKEDITOR) {
      setTimeout(whenReady, 50)
      return
    }
    window.CKEDITOR.on("instanceCreated", setUp)
  }
  whenReady()
})()
