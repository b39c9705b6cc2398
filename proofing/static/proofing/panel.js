/* The 敏感词 and 错别字 panel of the article page: check the text being written.
 *
 * The button "检查敏感词和错别字", and every change of the body (CKEditor's
 * change event) or of the title fields after a pause, post the form's current
 * text to the check URL (admin:proofing_check, proofing/admin.py) and show the
 * hits in the panel, and a one-line summary under the body. The text is sent,
 * never saved. Loaded by templates/admin/proofing/panel.html; no inline script.
 */
;(() => {
  "use strict"

  const PAUSE_MS = 1500
  const TEXT_FIELDS = ["kicker", "title", "subtitle", "summary"]
  const NAME_SELECT = /^(bylines|credits)-\d+-contributor$/

  const panel = document.getElementById("proofing")
  const form = document.getElementById("article_form")
  if (!panel || !panel.dataset.checkUrl || !form) return

  const summary = panel.querySelector("[data-proofing-summary]")
  const list = panel.querySelector("[data-proofing-hits]")
  const button = panel.querySelector("[data-proofing-check]")
  let latest = 0
  let timer = null
  let inline = null

  function field(name) {
    const element = form.elements.namedItem(name)
    return element && "value" in element ? element.value : ""
  }

  function body() {
    const editor = window.CKEDITOR && window.CKEDITOR.instances.id_body
    return editor ? editor.getData() : field("body")
  }

  function names() {
    const found = []
    for (const select of form.querySelectorAll("select")) {
      if (!NAME_SELECT.test(select.name)) continue
      const prefix = select.name.replace(/-contributor$/, "")
      const deleted = form.elements.namedItem(prefix + "-DELETE")
      if (deleted && deleted.checked) continue
      const option = select.selectedOptions[0]
      if (option && option.value) found.push(option.textContent.trim())
    }
    return found
  }

  function element(tag, className, text) {
    const made = document.createElement(tag)
    if (className) made.className = className
    if (text !== undefined) made.textContent = text
    return made
  }

  function hitItem(hit) {
    const item = element("li", "proofing-hit")
    item.dataset.level = hit.level
    item.append(
      element("span", "proofing-level", hit.level_label),
      " ",
      element("span", "proofing-category", hit.category),
      " ",
      element("span", "proofing-where", hit.field_label + "第 " + (hit.start + 1) + " 字"),
      " ",
    )
    const context = element("q", "proofing-context")
    context.append(hit.before, element("mark", "", hit.word), hit.after)
    item.append(context)
    if (hit.suggestion) item.append(" ", element("span", "proofing-suggestion", "建议改为“" + hit.suggestion + "”"))
    if (hit.note) item.append(" ", element("span", "proofing-note", hit.note))
    return item
  }

  function counts(result) {
    return "禁用 " + result.blocking + " 处，提示 " + result.warnings + " 处"
  }

  function render(result) {
    const words = result.blocking_words.map((word) => "“" + word + "”").join("、")
    summary.textContent = result.hits.length
      ? "编辑中的文字（未保存）：" + counts(result) + "。"
      : "编辑中的文字里没有发现敏感词和错别字。"
    let blocked = panel.querySelector("[data-proofing-blocked]")
    if (result.blocking) {
      if (!blocked) {
        blocked = element("p", "proofing-blocked")
        blocked.dataset.proofingBlocked = ""
        summary.after(blocked)
      }
      blocked.textContent = "含禁用词" + words + "，改掉以后才能终审签发。"
    } else if (blocked) {
      blocked.remove()
    }
    list.replaceChildren(...result.hits.map(hitItem))
    showInline(result.hits.length ? "敏感词和错别字：" + counts(result) + "（见页面上方）" : "敏感词和错别字：没有发现")
  }

  function showInline(text) {
    const editor = document.getElementById("cke_id_body") || form.elements.namedItem("body")
    if (!editor) return
    if (!inline) {
      inline = element("a", "proofing-inline")
      inline.href = "#proofing"
      inline.setAttribute("role", "status")
      editor.after(inline)
    }
    inline.textContent = text
  }

  async function check() {
    const sequence = ++latest
    const data = new FormData()
    const token = document.querySelector("input[name=csrfmiddlewaretoken]")
    data.append("csrfmiddlewaretoken", token ? token.value : "")
    for (const name of TEXT_FIELDS) data.append(name, field(name))
    data.append("body", body())
    if (field("cover")) data.append("cover", field("cover"))
    data.append("names", names().join("\n"))
    summary.textContent = "正在检查……"
    let message = "检查失败，请稍后再试。"
    try {
      const response = await fetch(panel.dataset.checkUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      const result = await response.json()
      if (sequence !== latest) return // a newer check is on its way
      if (response.ok) {
        render(result)
        return
      }
      message = result.error || message
    } catch (error) {
      if (sequence !== latest) return
    }
    summary.textContent = message
  }

  function later() {
    clearTimeout(timer)
    timer = setTimeout(check, PAUSE_MS)
  }

  button.addEventListener("click", () => {
    clearTimeout(timer)
    check()
  })
  for (const name of TEXT_FIELDS) {
    const input = form.elements.namedItem(name)
    if (input) input.addEventListener("input", later)
  }

  function watch(editor) {
    if (editor.name !== "id_body") return
    editor.on("change", later)
    // Text put in without keystrokes (an input method's commit, dictation) fires
    // no change in CKEditor 4: listen to the editing area's input events too.
    editor.on("contentDom", () => editor.editable().on("input", later))
    if (editor.status === "ready" && editor.editable()) editor.editable().on("input", later)
  }

  function whenEditor() {
    if (!window.CKEDITOR) {
      setTimeout(whenEditor, 100)
      return
    }
    const editor = window.CKEDITOR.instances.id_body
    if (editor) watch(editor)
    else window.CKEDITOR.on("instanceCreated", (event) => watch(event.editor))
  }
  if (form.elements.namedItem("body")) whenEditor()
})()
