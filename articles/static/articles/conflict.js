/* The refused second save (articles/admin/conflicts.py): the editor's own text
 * beside the editor, copy buttons, and the "load the current text" link that
 * presses the real button below the save buttons (kept there so that Enter in
 * a field still saves). Everything works without this script too, only less
 * conveniently. No inline script anywhere.
 */
;(() => {
  "use strict"

  function ownDraftsUnderTheEditor() {
    const drafts = document.getElementById("own-drafts")
    const body = document.querySelector(".form-row.field-body")
    if (drafts && body) body.after(drafts)
  }

  function pressRealButtons() {
    for (const link of document.querySelectorAll("[data-submit]")) {
      link.addEventListener("click", (event) => {
        const button = document.getElementById(link.dataset.submit)
        if (!button) return
        event.preventDefault()
        button.click()
      })
    }
  }

  function copied(button, ok) {
    const label = button.textContent
    button.textContent = ok ? "已复制" : "请手动选择复制"
    setTimeout(() => {
      button.textContent = label
    }, 1500)
  }

  function copyButtons() {
    for (const button of document.querySelectorAll("[data-copy]")) {
      button.addEventListener("click", () => {
        const source = document.getElementById(button.dataset.copy)
        if (!source) return
        // Select and copy: keeps headings, bold and lists when pasted into CKEditor.
        const range = document.createRange()
        range.selectNodeContents(source)
        const selection = window.getSelection()
        selection.removeAllRanges()
        selection.addRange(range)
        let ok = false
        try {
          ok = document.execCommand("copy")
        } catch (error) {
          ok = false
        }
        copied(button, ok)
      })
    }
  }

  function start() {
    ownDraftsUnderTheEditor()
    pressRealButtons()
    copyButtons()
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start)
  else start()
})()
