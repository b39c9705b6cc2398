/* 字数统计 under the article body editor (CKEditor 4), live while typing.
 *
 * The rule is articles/wordcount.py's, kept identical: every character of
 * the body's text counts one (Chinese characters, punctuation, letters,
 * digits), whitespace and markup count nothing. WHITESPACE is the same
 * character class as the Python one; characters are code points
 * (Array.from), not UTF-16 units. The count the server stores on save is the
 * 字数 field of the article page and the change list.
 *
 * Loaded by articles/editor.py beside CKEditor; no inline script.
 */
;(() => {
  "use strict"

  // Identical, character for character, to WHITESPACE in articles/wordcount.py.
  const WHITESPACE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/g

  function countText(text) {
    return Array.from(String(text).replace(WHITESPACE, "")).length
  }

  function wordCount(html) {
    // A detached document: nothing in it loads or runs.
    const doc = new DOMParser().parseFromString(String(html || ""), "text/html")
    doc.querySelectorAll("script, style, template").forEach((node) => node.remove())
    return countText(doc.body ? doc.body.textContent : "")
  }

  window.NewsroomWordCount = { countText, wordCount }

  function attach(editor) {
    const counter = document.createElement("div")
    counter.className = "word-count"
    counter.setAttribute("aria-live", "polite")
    counter.title = "正文字数：汉字、标点、字母、数字各算一个字，空白不算（与保存时的统计相同）"
    editor.container.$.insertAdjacentElement("afterend", counter)

    let pending = null
    function update() {
      pending = null
      counter.textContent = "字数：" + wordCount(editor.getData())
    }
    function later() {
      if (pending === null) pending = setTimeout(update, 120)
    }

    editor.on("change", later)
    editor.on("dataReady", later)
    // In source mode CKEditor fires no change while typing: listen to the textarea.
    editor.on("mode", () => {
      if (editor.mode === "source") {
        const editable = editor.editable()
        if (editable) editable.on("input", later)
      }
      later()
    })
    update()
  }

  function whenReady() {
    if (!window.CKEDITOR) {
      setTimeout(whenReady, 50)
      return
    }
    window.CKEDITOR.on("instanceCreated", (event) => {
      const editor = event.editor
      editor.on("instanceReady", () => {
        // Article bodies only (articles/editor.py); the config is known once the editor is ready.
        if (editor.config.toolbar === "Newsroom") attach(editor)
      })
    })
  }
  whenReady()
})()
