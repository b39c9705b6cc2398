/* Local autosave for the article form: a crash or a closed tab loses nothing.
 *
 * CKEditor 4's autosave plugin is not bundled with django-ckeditor; this is
 * the same idea, for the whole article text (引题, 标题, 副题, 摘要 and the
 * body), kept in this browser's localStorage:
 *
 * - one record per opened page, keyed by the article (its id, or "new" on the
 *   add page), the version the page loaded and when it was opened, written
 *   every few seconds while the text has changed, and when the page is left;
 * - on opening the page, a record whose text differs from the loaded one
 *   shows a notice (发现未保存的本地草稿) with 恢复 and 丢弃; a record equal
 *   to the loaded text is taken over (the form may hold text the server never
 *   stored: a refused save shows the editor's text again);
 * - a record is removed once the server has saved it: the form was submitted
 *   with a save button and the next page says so (Django's success message,
 *   and for an existing article a newer loaded version, or the message's link
 *   to it on the list page). A refused save keeps it.
 * - after a refused save and "载入最新内容", the editor's own text is on the
 *   page (articles/admin/conflicts.py): no notice for the record holding it,
 *   and it goes with the next successful save.
 *
 * Loaded on every article admin page (ArticleAdmin.Media); no inline script.
 * docs/workflow.md ("Nothing lost / 不丢稿") describes what editors see.
 */
;(() => {
  "use strict"

  const PREFIX = "newsroom.autosave.article."
  const FIELDS = ["kicker", "title", "subtitle", "summary"]
  const EVERY_MS = 3000
  const KEEP_DAYS = 30

  // --- storage --------------------------------------------------------------------

  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key))
    } catch (error) {
      return null
    }
  }

  function write(key, record) {
    try {
      window.localStorage.setItem(key, JSON.stringify(record))
      return true
    } catch (error) {
      return false // full or forbidden: the page still works, only without the safety net
    }
  }

  function remove(key) {
    try {
      window.localStorage.removeItem(key)
    } catch (error) {
      /* nothing to do */
    }
  }

  function records(article) {
    const found = []
    let storage
    try {
      storage = window.localStorage
    } catch (error) {
      return found
    }
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i)
      if (!key || !key.startsWith(PREFIX)) continue
      const record = read(key)
      if (!record || !record.fields) continue
      if (article === undefined || record.article === article) found.push({ key, record })
    }
    return found.sort((a, b) => b.record.savedAt - a.record.savedAt)
  }

  // --- the page -------------------------------------------------------------------

  function pageArticle() {
    const match = window.location.pathname.match(/\/articles\/article\/(?:(add)|([^/]+)\/(?:change|reload))\/$/)
    if (!match) return null
    return match[1] ? "new" : decodeURIComponent(match[2])
  }

  function pageVersion() {
    const field = document.getElementById("id_loaded_version")
    const number = field ? parseInt(field.value, 10) : NaN
    return Number.isNaN(number) ? null : number
  }

  function succeeded() {
    return Boolean(document.querySelector(".messagelist .success")) && !document.querySelector(".errornote")
  }

  function savedArticles() {
    // The list page after 保存: "文章“<a href=…/5/change/>…</a>”修改成功。"
    const ids = new Set()
    for (const link of document.querySelectorAll(".messagelist .success a[href]")) {
      const match = link.getAttribute("href").match(/\/articles\/article\/([^/]+)\/change\/$/)
      if (match) ids.add(decodeURIComponent(match[1]))
    }
    return ids
  }

  function sameText(a, b) {
    return JSON.stringify(a) === JSON.stringify(b)
  }

  /* Submitted records either went through (gone) or came back refused (kept, unmarked). */
  function settle(article, version) {
    const success = succeeded()
    const listed = savedArticles()
    const now = Date.now()
    for (const { key, record } of records()) {
      if (now - record.savedAt > KEEP_DAYS * 24 * 3600 * 1000) {
        remove(key)
        continue
      }
      if (!record.submitted) continue
      const saved =
        success &&
        (record.article === "new" ||
          listed.has(record.article) ||
          (record.article === article && version !== null && version > record.version))
      if (saved) {
        remove(key)
        for (const other of records(record.article)) {
          if (other.record.absorbedInto === key) remove(other.key) // the own text shown beside that form
        }
      } else {
        record.submitted = false
        write(key, record)
      }
    }
  }

  // --- the editor -----------------------------------------------------------------

  function whenEditorReady(callback) {
    const textarea = document.getElementById("id_body")
    if (!textarea || textarea.readOnly) return
    const check = () => {
      const editor = window.CKEDITOR && window.CKEDITOR.instances.id_body
      if (editor && editor.status === "ready") callback(editor)
      else if (editor) editor.once("instanceReady", () => callback(editor))
      else setTimeout(check, 100)
    }
    check()
  }

  function snapshot(editor) {
    const fields = {}
    for (const name of FIELDS) {
      const input = document.getElementById(`id_${name}`)
      if (input) fields[name] = input.value
    }
    fields.body = editor.getData()
    return fields
  }

  function fill(editor, fields, done) {
    for (const name of FIELDS) {
      const input = document.getElementById(`id_${name}`)
      if (input && name in fields) {
        input.value = fields[name]
        input.dispatchEvent(new Event("input", { bubbles: true }))
      }
    }
    editor.setData(fields.body || "", { callback: done })
  }

  function ownDrafts() {
    const input = document.querySelector("input[name=own_drafts]")
    if (!input) return []
    try {
      const drafts = JSON.parse(input.value)
      return Array.isArray(drafts) ? drafts : []
    } catch (error) {
      return []
    }
  }

  function shownBeside(fields, drafts) {
    // A form sends its line breaks as \r\n; CKEditor gives \n.
    const plain = (value) => (value || "").replace(/\r\n?/g, "\n").trim()
    return drafts.some((draft) => ["title", "body"].every((name) => plain(draft[name]) === plain(fields[name])))
  }

  function when(time) {
    return new Date(time).toLocaleString("zh-CN", {
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
  }

  function start(editor, article, version) {
    const form = editor.element.$.form
    const opened = snapshot(editor)
    const existing = records(article)
    const beside = ownDrafts()
    let key = `${PREFIX}${article}.${version === null ? "new" : version}.${Date.now()}`
    let last = opened
    let submitting = false

    // Take over the newest record holding exactly what the page shows; the rest are duplicates.
    const same = existing.filter(({ record }) => sameText(record.fields, opened))
    if (same.length) {
      key = same[0].key
      same.slice(1).forEach(({ key: duplicate }) => remove(duplicate))
    }
    const pending = []
    for (const found of existing) {
      if (sameText(found.record.fields, opened)) continue
      if (shownBeside(found.record.fields, beside)) {
        found.record.absorbedInto = key // kept until the save that merges it goes through
        write(found.key, found.record)
        continue
      }
      pending.push(found)
    }

    function store(force) {
      const fields = snapshot(editor)
      if (!force && sameText(fields, last) && !submitting) return
      last = fields
      write(key, { article, version, savedAt: Date.now(), submitted: submitting, fields })
    }

    if (same.length) store(true) // now this page's record, with this page's version

    setInterval(() => store(false), EVERY_MS)
    window.addEventListener("beforeunload", () => store(false))
    window.addEventListener("pagehide", () => store(false))
    if (form) {
      form.addEventListener("submit", (event) => {
        const button = event.submitter
        if (button && button.name === "_reload") return // not a save: the text stays in the record
        if (sameText(snapshot(editor), opened) && !same.length) return // nothing of the editor's own
        submitting = true
        store(true)
      })
    }
    showNotice(editor, form, pending, version, () => store(true))
  }

  function showNotice(editor, form, pending, version, keep) {
    if (!pending.length || !form) return
    const { key, record } = pending[0]
    const notice = document.createElement("div")
    notice.className = "autosave-notice"
    notice.setAttribute("role", "alert")
    const text = document.createElement("p")
    let message = `发现未保存的本地草稿（${when(record.savedAt)}）。`
    if (version !== null && record.version !== null && record.version !== version) {
      message += `草稿写于第 ${record.version} 版，现在是第 ${version} 版：恢复后请核对他人的改动再保存。`
    }
    if (pending.length > 1) message += `（还有 ${pending.length - 1} 份更早的草稿）`
    text.textContent = message
    const restore = document.createElement("button")
    restore.type = "button"
    restore.className = "button default autosave-restore"
    restore.textContent = "恢复"
    const discard = document.createElement("button")
    discard.type = "button"
    discard.className = "button autosave-discard"
    discard.textContent = "丢弃"
    notice.append(text, restore, discard)
    form.parentNode.insertBefore(notice, form)

    const next = () => {
      notice.remove()
      showNotice(editor, form, pending.slice(1), version, keep)
    }
    restore.addEventListener("click", () => {
      fill(editor, record.fields, () => {
        keep() // this page's record holds it now
        remove(key)
        next()
      })
    })
    discard.addEventListener("click", () => {
      remove(key)
      next()
    })
  }

  function main() {
    const article = pageArticle()
    const version = pageVersion()
    settle(article, version)
    if (article === null) return
    whenEditorReady((editor) => start(editor, article, version))
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main)
  else main()
})()
