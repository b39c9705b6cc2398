/* Presence (在场) on the article's change page: who else has it open now.
 *
 * The banner (#presence, templates/admin/articles/article/includes/presence.html)
 * carries what this script needs: data-url (the heartbeat endpoint), data-page
 * (this page's identity, one per opened tab), data-interval (seconds between
 * two reports) and data-state (the state the page opened in).
 *
 * - While the page is open and visible it reports every data-interval seconds:
 *   a POST of JSON {page, state} with the CSRF token, state "reading" or, once
 *   the editor has changed something in the article form or the body editor,
 *   "editing" (reported at once). A hidden tab does not report: after 90 s
 *   without a report (PRESENCE_TIMEOUT, articles/models/presence.py) the
 *   others no longer see it; it reports again as soon as it is shown.
 * - The answer is the list of the others present; the banner is redrawn from
 *   it (names as text, never markup) and hidden when nobody else is here.
 * - When the page goes (closed, reloaded, left for another page) it says
 *   "left" with navigator.sendBeacon (a form: a beacon cannot set headers).
 *
 * No inline script (CSP). docs/workflow.md, "Who else is here", describes it.
 */
;(() => {
  "use strict"

  const banner = document.getElementById("presence")
  if (!banner || !banner.dataset.url || !banner.dataset.page) return

  const url = banner.dataset.url
  const page = banner.dataset.page
  const every = Math.max(1, parseFloat(banner.dataset.interval) || 30) * 1000
  let state = banner.dataset.state === "editing" ? "editing" : "reading"
  let timer = null
  let sending = false
  let again = false // a report asked for while one was on its way
  let stopped = false // the server refused this page for good (403, 404)

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]")
    return input ? input.value : ""
  }

  // --- the banner -----------------------------------------------------------------

  function render(present) {
    const people = banner.querySelector(".presence-people")
    if (!people || !Array.isArray(present)) return
    const nodes = []
    present.forEach((person, index) => {
      if (index) nodes.push(document.createTextNode("、"))
      const span = document.createElement("span")
      span.className = "presence-person"
      span.dataset.editing = person.editing ? "true" : "false"
      const name = document.createElement("strong")
      name.textContent = String(person.name)
      span.append(name, ` ${person.label}`)
      nodes.push(span)
    })
    people.replaceChildren(...nodes)
    banner.hidden = present.length === 0
  }

  // --- reports --------------------------------------------------------------------

  function report() {
    if (stopped) return
    if (sending) {
      again = true
      return
    }
    sending = true
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({ page, state }),
    })
      .then((response) => {
        if (response.status === 403 || response.status === 404) stopped = true
        if (!response.ok) return null
        return response.json()
      })
      .then((answer) => {
        if (answer) render(answer.present)
      })
      .catch(() => {
        /* offline, or the session ended: the banner stays as it was, the next beat tries again */
      })
      .finally(() => {
        sending = false
        if (again) {
          again = false
          report()
        }
      })
  }

  function schedule() {
    clearTimeout(timer)
    timer = null
    if (stopped || document.hidden) return
    timer = setTimeout(() => {
      report()
      schedule()
    }, every)
  }

  function left() {
    clearTimeout(timer)
    timer = null
    const form = new FormData()
    form.append("csrfmiddlewaretoken", csrfToken())
    form.append("page", page)
    form.append("state", "left")
    if (navigator.sendBeacon && navigator.sendBeacon(url, form)) return
    fetch(url, { method: "POST", credentials: "same-origin", body: form, keepalive: true }).catch(() => {})
  }

  // --- editing or only reading ----------------------------------------------------

  function editing() {
    if (state === "editing") return
    state = "editing"
    report() // the others see it now, not at the next beat
  }

  function watchForm() {
    const form = document.getElementById("article_form")
    if (!form) return
    const typed = (event) => {
      if (event.isTrusted) editing() // not a value a script set (the local autosave's own events)
    }
    form.addEventListener("input", typed)
    form.addEventListener("change", typed)
  }

  function watchBody() {
    // The body editor's own frame sends no input events to this document: ask CKEditor.
    const textarea = document.getElementById("id_body")
    if (!textarea || textarea.readOnly) return
    let tries = 0
    const check = () => {
      const editor = window.CKEDITOR && window.CKEDITOR.instances.id_body
      const watch = () => editor.on("change", () => editor.checkDirty() && editing())
      if (editor && editor.status === "ready") watch()
      else if (editor) editor.once("instanceReady", watch)
      else if ((tries += 1) < 300) setTimeout(check, 200)
    }
    check()
  }

  // --- the page's life ------------------------------------------------------------

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      clearTimeout(timer)
      timer = null
    } else {
      report()
      schedule()
    }
  })
  window.addEventListener("pagehide", left)
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return // a fresh load: its GET was its first report
    report() // back from the browser's page cache: here again
    schedule()
  })

  watchForm()
  watchBody()
  if (state === "editing") report() // the form came back after a save (refused or invalid): not yet reported
  schedule()
})()
