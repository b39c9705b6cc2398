/* 复制 buttons of the article page's preview links
 * (templates/admin/articles/article/includes/preview_links.html).
 *
 * The Clipboard API where the page is a secure context (HTTPS, localhost);
 * otherwise the address is selected and copied the old way. Either way the
 * address stays selected in its box, so Ctrl+C works too. No inline script.
 */
;(() => {
  "use strict"

  function done(button, text) {
    const label = button.dataset.label || button.textContent
    button.dataset.label = label
    button.textContent = text
    setTimeout(() => {
      button.textContent = label
    }, 2000)
  }

  function copy(button) {
    const box = document.getElementById(button.dataset.copyFrom)
    if (!box) return
    box.focus()
    box.select()
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(
        () => done(button, "已复制"),
        () => done(button, "请按 Ctrl+C 复制"),
      )
      return
    }
    let copied = false
    try {
      copied = document.execCommand("copy")
    } catch (error) {
      copied = false
    }
    done(button, copied ? "已复制" : "请按 Ctrl+C 复制")
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".copy-preview-link")
    if (button) copy(button)
  })
})()
