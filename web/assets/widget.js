/*
 * policybot chat widget. Put one tag on any page:
 *
 *   <script src="https://HOST/widget.js" defer
 *           data-title="就业政策助手" data-colour="#b71c1c"
 *           data-position="right" data-language="zh"></script>
 *
 * It adds a launcher button and a chat panel inside a shadow root, so the
 * page's CSS cannot reach them, and talks to /api/chat of HOST (the server
 * this file came from). Everything shown is set with textContent: a user's
 * or the server's text is never parsed as HTML. No dependencies, no build.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script) { // injected by a loader: the tag is the last one naming us
    var tags = document.querySelectorAll('script[src*="widget.js"]');
    script = tags[tags.length - 1];
  }
  if (!script || document.getElementById('policybot-widget')) {
    return;
  }

  // The API lives beside this file, whatever page the tag is on.
  var base = new URL('.', script.src);
  var api = function (path) { return new URL('api/' + path, base).href; };
  var storageKey = 'policybot:' + base.href;

  var TEXT = {
    zh: {
      title: '就业政策助手',
      open: '打开政策咨询',
      launcher: '政策咨询',
      close: '关闭',
      restart: '重新开始',
      inputLabel: '您的问题',
      placeholder: '输入问题，例如：招应届生有什么补贴',
      send: '发送',
      you: '您说：',
      bot: '助手说：',
      greeting: '您好！我可以解答就业政策文件里的问题，每个回答都附有文件原文；也可以帮您查一查能享受哪些政策。',
      starter: '帮我看看我能享受哪些政策',
      options: '可选回答',
      sources: '依据的条款',
      source: '原文：',
      results: '判断结果',
      ruledOut: '不符合或已到期',
      amount: '金额：',
      next: '下一步：',
      basis: '依据：',
      status: { eligible: '可以享受', possible: '可能可以享受', superseded: '已被后续文件调整', ineligible: '不符合', expired: '已到期' },
      ask: '这个回答有帮助吗？',
      helpful: '有帮助',
      unhelpful: '没帮助',
      thanks: '谢谢您的反馈！',
      thinking: '正在查找…',
      busy: '请求太频繁，请稍等一会儿再试。',
      offline: '暂时连不上服务，请稍后再试，或拨打12333。',
      refused: '这条消息发不出去：',
      restarted: '已重新开始。',
      note: '回答摘自政策原文，仅供参考；办理前请拨打12333确认。'
    },
    en: {
      title: 'Employment policy assistant',
      open: 'Open the policy assistant',
      launcher: 'Policy help',
      close: 'Close',
      restart: 'Start over',
      inputLabel: 'Your question',
      placeholder: 'Ask, e.g. subsidy for hiring graduates',
      send: 'Send',
      you: 'You said: ',
      bot: 'Assistant said: ',
      greeting: 'Hello! I answer questions from the employment policy notices, quoting the text each answer rests on, and can check which benefits you may qualify for.',
      starter: 'Check my eligibility',
      options: 'Possible answers',
      sources: 'Clauses quoted',
      source: 'Text: ',
      results: 'Results',
      ruledOut: 'Not applicable or expired',
      amount: 'Amount: ',
      next: 'Next step: ',
      basis: 'Source: ',
      status: { eligible: 'You qualify', possible: 'You may qualify', superseded: 'Changed by a later document', ineligible: 'Does not apply', expired: 'Expired' },
      ask: 'Was this helpful?',
      helpful: 'Helpful',
      unhelpful: 'Not helpful',
      thanks: 'Thank you for the feedback!',
      thinking: 'Looking it up…',
      busy: 'Too many requests; please wait a moment.',
      offline: 'The service cannot be reached; try again later or call 12333.',
      refused: 'This message could not be sent: ',
      restarted: 'Started over.',
      note: 'Answers quote the policy text and are for reference; confirm with 12333 before applying.'
    }
  };

  // CSS_TEXT is the widget's look. --pb-accent is the one colour a page may
  // set (data-colour); everything else is fixed, so the page cannot break it.
  var CSS_TEXT = [
    ':host { all: initial; }',
    '.pb { --accent: var(--pb-accent, #c62828); position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;',
    '  font: 15px/1.55 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;',
    '  color: #1f2328; display: flex; flex-direction: column; align-items: flex-end; gap: 10px; }',
    '.pb.left { right: auto; left: 16px; align-items: flex-start; }',
    '.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }',
    'button { font: inherit; cursor: pointer; }',
    'button:disabled { cursor: default; opacity: .55; }',
    ':focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }',
    '.launcher { order: 2; display: flex; align-items: center; gap: 8px; border: 0; border-radius: 999px;',
    '  padding: 12px 18px; background: var(--accent); color: #fff; font-weight: 600;',
    '  box-shadow: 0 4px 14px rgba(0,0,0,.25); }',
    '.launcher .icon { font-size: 20px; line-height: 1; }',
    '.panel { order: 1; width: 380px; max-width: calc(100vw - 32px); height: min(620px, calc(100vh - 110px));',
    '  display: flex; flex-direction: column; background: #fff; border-radius: 14px; overflow: hidden;',
    '  box-shadow: 0 10px 40px rgba(0,0,0,.28); border: 1px solid #d0d7de; }',
    '.panel[hidden] { display: none; }',
    '.head { display: flex; align-items: center; gap: 8px; padding: 10px 12px; background: var(--accent); color: #fff; }',
    '.title { flex: 1; margin: 0; font-size: 16px; font-weight: 600; }',
    '.head button { background: rgba(255,255,255,.16); color: #fff; border: 1px solid rgba(255,255,255,.5);',
    '  border-radius: 8px; padding: 4px 10px; }',
    '.head .close { font-size: 20px; line-height: 1; padding: 2px 10px 4px; }',
    '.messages { flex: 1; overflow-y: auto; padding: 12px; background: #f6f8fa; display: flex; flex-direction: column; gap: 10px; }',
    '.msg { max-width: 92%; padding: 9px 12px; border-radius: 12px; word-wrap: break-word; overflow-wrap: anywhere; }',
    '.msg p { margin: 0; }',
    '.msg p + p, .msg p + .results, .results + p { margin-top: 8px; }',
    '.text { white-space: pre-wrap; }',
    '.fig { font-weight: 700; }',
    '.user { align-self: flex-end; background: var(--accent); color: #fff; border-bottom-right-radius: 4px; }',
    '.bot { align-self: flex-start; background: #fff; border: 1px solid #d0d7de; border-bottom-left-radius: 4px; }',
    '.error { align-self: stretch; background: #fff4e5; border: 1px solid #f0b429; color: #6b3e00; }',
    '.cites { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }',
    '.cite { background: none; border: 0; padding: 2px 0; color: #0b57d0; text-decoration: underline; text-align: left; }',
    '.cite::before { content: "▸ "; display: inline-block; }',
    '.cite[aria-expanded="true"]::before { content: "▾ "; }',
    '.quote { margin: 4px 0 6px; padding: 6px 10px; border-left: 3px solid var(--accent); background: #f6f8fa;',
    '  font-size: 14px; white-space: pre-wrap; }',
    '.quote[hidden] { display: none; }',
    '.options { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 10px; }',
    '.option { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 999px;',
    '  padding: 5px 12px; text-align: left; }',
    '.option:not(:disabled):hover { background: var(--accent); color: #fff; }',
    '.results { margin-top: 8px; }',
    '.rtitle { margin: 0 0 6px; font-size: 15px; }',
    '.rlist { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }',
    '.result { border: 1px solid #d0d7de; border-left-width: 4px; border-radius: 8px; padding: 8px 10px; background: #fff; }',
    '.result.eligible { border-left-color: #1a7f37; }',
    '.result.possible { border-left-color: #bf8700; }',
    '.result.superseded { border-left-color: #1565c0; }',
    '.result.ineligible, .result.expired { border-left-color: #8c959f; color: #57606a; }',
    '.result p { margin: 2px 0 0; font-size: 14px; }',
    '.rhead { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; }',
    '.badge { font-size: 12px; font-weight: 600; padding: 1px 7px; border-radius: 999px; background: #eaeef2; }',
    '.eligible .badge { background: #dafbe1; color: #116329; }',
    '.possible .badge { background: #fff8c5; color: #7d4e00; }',
    '.superseded .badge { background: #ddf4ff; color: #0a3069; }',
    '.amount { font-weight: 600; color: #1f2328; }',
    '.ruled-out { margin-top: 8px; }',
    '.ruled-out summary { cursor: pointer; color: #57606a; }',
    '.ruled-out .rlist { margin-top: 6px; }',
    '.feedback { display: flex; align-items: center; flex-wrap: wrap; gap: 6px; margin-top: 8px; font-size: 13px; color: #57606a; }',
    '.thumb { border: 1px solid #d0d7de; background: #fff; border-radius: 8px; padding: 1px 8px; }',
    '.thumb[aria-pressed="true"] { background: #ddf4ff; border-color: #0969da; }',
    '.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #d0d7de; background: #fff; }',
    '.input { flex: 1; min-width: 0; font: inherit; padding: 8px 10px; border: 1px solid #8c959f; border-radius: 8px; }',
    '.send { border: 0; border-radius: 8px; padding: 8px 14px; background: var(--accent); color: #fff; font-weight: 600; }',
    '.note { margin: 0; padding: 0 12px 8px; font-size: 12px; color: #57606a; background: #fff; }',
    '@media (max-width: 480px) {',
    '  .pb, .pb.left { right: 12px; left: auto; bottom: 12px; }',
    '  .pb.left { left: 12px; right: auto; }',
    '  .pb.open { inset: 0; gap: 0; }',
    '  .pb.open .launcher { display: none; }',
    '  .pb.open .panel { width: 100vw; max-width: none; height: 100%; border-radius: 0; border: 0; }',
    '}'
  ].join('\n');

  var data = script.dataset;
  var T = TEXT[data.language === 'en' ? 'en' : 'zh'];
  var title = data.title || T.title;
  var colour = data.colour || data.color || '';
  var left = data.position === 'left';

  // The conversation, kept in localStorage so a reload keeps it.
  var state = load();
  var busy = false;
  var ids = 0;

  // The host is an element of our own name, so that the page's rules for
  // div or section do not match it, with its inline style reset.
  var host = document.createElement('policybot-widget');
  host.id = 'policybot-widget';
  host.style.setProperty('all', 'initial', 'important');
  host.style.setProperty('display', 'block', 'important');
  var root = host.attachShadow({ mode: 'open' });
  style(root);
  if (colour && window.CSS && CSS.supports('color', colour)) {
    host.style.setProperty('--pb-accent', colour);
  }

  var wrap = el('div', 'pb' + (left ? ' left' : ''));
  var launcher = el('button', 'launcher');
  launcher.type = 'button';
  launcher.dataset.testid = 'policybot-launcher';
  launcher.setAttribute('aria-label', T.open);
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'pb-panel');
  launcher.appendChild(el('span', 'icon', '💬')).setAttribute('aria-hidden', 'true');
  launcher.appendChild(el('span', 'label', T.launcher));

  var panel = el('section', 'panel');
  panel.id = 'pb-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-labelledby', 'pb-title');

  var header = el('header', 'head');
  var h = el('h2', 'title', title);
  h.id = 'pb-title';
  var restartBtn = button('restart', T.restart);
  var closeBtn = button('close', '×');
  closeBtn.setAttribute('aria-label', T.close);
  header.append(h, restartBtn, closeBtn);

  var messages = el('div', 'messages');
  messages.dataset.testid = 'policybot-messages';
  messages.setAttribute('role', 'log');
  messages.setAttribute('aria-live', 'polite');
  messages.setAttribute('aria-label', title);
  messages.tabIndex = 0;

  var status = el('div', 'sr');
  status.setAttribute('role', 'status');

  var form = el('form', 'composer');
  var label = el('label', 'sr', T.inputLabel);
  label.htmlFor = 'pb-input';
  var input = el('input', 'input');
  input.id = 'pb-input';
  input.type = 'text';
  input.maxLength = 1000;
  input.autocomplete = 'off';
  input.placeholder = T.placeholder;
  input.dataset.testid = 'policybot-input';
  var sendBtn = el('button', 'send', T.send);
  sendBtn.type = 'submit';
  sendBtn.dataset.testid = 'policybot-send';
  form.append(label, input, sendBtn);

  panel.append(header, messages, status, form, el('p', 'note', T.note));
  wrap.append(launcher, panel);
  root.appendChild(wrap);

  launcher.addEventListener('click', function () { setOpen(panel.hidden, true); });
  closeBtn.addEventListener('click', function () { setOpen(false, true); });
  restartBtn.addEventListener('click', restart);
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false, true);
    }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (text && !busy) {
      input.value = '';
      send({ text: text }, text);
    }
  });

  if (state.log.length === 0) {
    state.log.push(greeting());
  }
  state.log.forEach(function (entry) { messages.appendChild(render(entry)); });
  settleOptions();
  document.body.appendChild(host);
  if (state.open) {
    setOpen(true, false);
  }

  // setOpen shows or hides the panel; focus follows only when the person
  // asked for it (not when a reload reopens the panel).
  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    wrap.classList.toggle('open', open);
    launcher.setAttribute('aria-expanded', String(open));
    state.open = open;
    save();
    if (open) {
      messages.scrollTop = messages.scrollHeight;
      if (moveFocus) {
        input.focus();
      }
    } else if (moveFocus) {
      launcher.focus();
    }
  }

  function restart() {
    state = { session: '', open: true, log: [greeting()] };
    messages.textContent = '';
    messages.appendChild(render(state.log[0]));
    settleOptions();
    status.textContent = T.restarted;
    save();
    input.focus();
  }

  function greeting() {
    return { who: 'bot', local: true, reply: { status: 'greeting', reply: T.greeting, starters: [T.starter] } };
  }

  // send posts a message (text, or a button's value) and shows the reply.
  function send(body, shown) {
    busy = true;
    sendBtn.disabled = true;
    add({ who: 'user', text: shown });
    status.textContent = T.thinking;
    messages.setAttribute('aria-busy', 'true');
    if (state.session) {
      body.session = state.session;
    }
    var live = null; // the sentences of a phrased answer, shown as they are verified
    stream(body, function (piece) {
      if (!live) {
        live = el('div', 'msg bot live');
        live.appendChild(el('span', 'sr', T.bot));
        live.appendChild(el('p', 'text'));
        messages.appendChild(live);
      }
      live.lastChild.textContent += piece;
      messages.scrollTop = messages.scrollHeight;
    }).then(function (r) {
      if (live) { // the whole reply, committed, takes the place of the pieces
        live.remove();
      }
      if (!r.ok) {
        add({ who: 'note', text: failure(r) });
        return;
      }
      state.session = r.data.session;
      add({ who: 'bot', reply: r.data });
    }).then(function () {
      busy = false;
      sendBtn.disabled = false;
      status.textContent = '';
      messages.removeAttribute('aria-busy');
      settleOptions();
      save();
    });
  }

  function failure(r) {
    if (r.status === 429) {
      return T.busy;
    }
    if (r.status === 400 && r.data && r.data.error) {
      return T.refused + r.data.error;
    }
    return T.offline;
  }

  // post sends JSON and resolves to {ok, status, data}, never rejecting.
  function post(path, body) {
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) { ctl.abort(); } }, 30000);
    return fetch(api(path), {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: ctl ? ctl.signal : undefined
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (d) {
        return { ok: res.ok && d !== null, status: res.status, data: d };
      });
    }, function () {
      return { ok: false, status: 0, data: null };
    }).then(function (r) {
      clearTimeout(timer);
      return r;
    });
  }

  // stream sends a chat message to /api/chat/stream and resolves like post,
  // with the final reply; onPiece gets each verified sentence of a phrased
  // answer before it. Without streaming in the browser, it posts to
  // /api/chat instead.
  function stream(body, onPiece) {
    if (!window.ReadableStream || !window.TextDecoder) {
      return post('chat', body);
    }
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) { ctl.abort(); } }, 30000);
    return fetch(api('chat/stream'), {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: ctl ? ctl.signal : undefined
    }).then(function (res) {
      var type = res.headers.get('Content-Type') || '';
      if (type.indexOf('text/event-stream') !== 0 || !res.body) {
        return res.json().catch(function () { return null; }).then(function (d) {
          return { ok: false, status: res.status || 500, data: d };
        });
      }
      return readEvents(res.body.getReader(), onPiece);
    }, function () {
      return { ok: false, status: 0, data: null };
    }).then(function (r) {
      clearTimeout(timer);
      return r;
    });
  }

  // readEvents reads server-sent events until the reply or an error.
  function readEvents(reader, onPiece) {
    var decoder = new TextDecoder();
    var buf = '';
    var result = { ok: false, status: 0, data: null };
    function handle(block) {
      var event = 'message';
      var data = '';
      block.split('\n').forEach(function (line) {
        if (line.indexOf('event: ') === 0) {
          event = line.slice(7);
        } else if (line.indexOf('data: ') === 0) {
          data += line.slice(6);
        }
      });
      var v = null;
      try { v = JSON.parse(data); } catch (e) { return; }
      if (event === 'piece' && v && typeof v.text === 'string') {
        onPiece(v.text);
      } else if (event === 'reply') {
        result = { ok: true, status: 200, data: v };
      } else if (event === 'error') {
        result = { ok: false, status: 500, data: v };
      }
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          return result;
        }
        buf += decoder.decode(chunk.value, { stream: true });
        var i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          handle(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
        return pump();
      });
    }
    return pump().catch(function () { return result; });
  }

  function add(entry) {
    state.log.push(entry);
    if (state.log.length > 40) { // keep the newest, and storage small
      state.log = state.log.slice(-40);
    }
    messages.appendChild(render(entry));
    messages.scrollTop = messages.scrollHeight;
  }

  // settleOptions leaves only the newest reply's buttons pressable: an
  // older question has been answered or passed by.
  function settleOptions() {
    var groups = messages.querySelectorAll('.options');
    for (var i = 0; i < groups.length; i++) {
      var last = i === groups.length - 1 && messages.lastElementChild.contains(groups[i]);
      var btns = groups[i].querySelectorAll('button');
      for (var j = 0; j < btns.length; j++) {
        btns[j].disabled = !last || busy;
      }
    }
  }

  function render(entry) {
    if (entry.who === 'user') {
      var u = el('div', 'msg user');
      u.append(el('span', 'sr', T.you), el('p', 'text', entry.text));
      return u;
    }
    if (entry.who === 'note') {
      var n = el('div', 'msg error', entry.text);
      n.setAttribute('role', 'alert');
      return n;
    }
    return renderReply(entry);
  }

  function renderReply(entry) {
    var r = entry.reply;
    var box = el('div', 'msg bot');
    box.appendChild(el('span', 'sr', T.bot));
    paragraphs(r).forEach(function (p) { box.appendChild(figured(p)); });
    if (r.status === 'result' && r.results && r.results.length) {
      box.insertBefore(results(r.results), box.children[2] || null);
    }
    if (r.citations && r.citations.length) {
      box.appendChild(citations(r.citations));
    }
    var opts = (r.question && r.question.options) || r.suggestions || [];
    if (opts.length || r.starters) {
      box.appendChild(options(opts, r.starters || []));
    }
    if (!entry.local && r.turn > 0 && r.status !== 'asking') {
      box.appendChild(feedback(entry));
    }
    return box;
  }

  // figured is a paragraph of the bot's with its 【figures】 in bold: the
  // server marks amounts, dates and rates so no channel loses them. Built
  // from text nodes, never parsed as HTML.
  function figured(text) {
    var p = el('p', 'text');
    String(text).split(/【([^【】]*)】/).forEach(function (part, i) {
      if (i % 2 === 1) {
        p.appendChild(el('strong', 'fig', part));
      } else if (part) {
        p.appendChild(document.createTextNode(part));
      }
    });
    return p;
  }

  // paragraphs is the reply's text; with a result list, only its lead and
  // its closing caveat, since the list says the rest.
  function paragraphs(r) {
    var parts = String(r.reply || '').split(/\n\s*\n/);
    if (r.status === 'result' && r.results && r.results.length && parts.length >= 3) {
      return [parts[0], parts[parts.length - 1]];
    }
    return [parts.join('\n\n')];
  }

  function citations(list) {
    var ul = el('ul', 'cites');
    ul.setAttribute('aria-label', T.sources);
    list.forEach(function (c) {
      var li = el('li');
      var b = button('cite', T.source + c.title);
      var q = el('blockquote', 'quote', c.quote);
      q.id = 'pb-q' + (++ids);
      q.hidden = true;
      b.setAttribute('aria-expanded', 'false');
      b.setAttribute('aria-controls', q.id);
      b.addEventListener('click', function () {
        q.hidden = !q.hidden;
        b.setAttribute('aria-expanded', String(!q.hidden));
      });
      li.append(b, q);
      ul.appendChild(li);
    });
    return ul;
  }

  function options(opts, starters) {
    var g = el('div', 'options');
    g.setAttribute('role', 'group');
    g.setAttribute('aria-label', T.options);
    opts.forEach(function (o) {
      g.appendChild(optionButton(o.label, function () { send({ option: o.value }, o.label); }));
    });
    starters.forEach(function (text) {
      g.appendChild(optionButton(text, function () { send({ text: text }, text); }));
    });
    return g;
  }

  function optionButton(text, onPress) {
    var b = button('option', text);
    b.dataset.testid = 'policybot-option';
    b.addEventListener('click', function () {
      if (!busy) {
        onPress();
        input.focus(); // the pressed button is now disabled and would drop focus
      }
    });
    return b;
  }

  function results(list) {
    var box = el('div', 'results');
    box.appendChild(el('h3', 'rtitle', T.results));
    // What applies and may apply, then what a later document changed (its
    // reason names the document and what holds now): all shown; what is
    // ruled out or over is folded.
    var good = list.filter(function (v) {
      return v.status === 'eligible' || v.status === 'possible' || v.status === 'superseded';
    });
    var rest = list.filter(function (v) { return good.indexOf(v) < 0; });
    var ul = el('ul', 'rlist');
    good.forEach(function (v) { ul.appendChild(result(v)); });
    box.appendChild(ul);
    if (rest.length) {
      var d = el('details', 'ruled-out');
      d.appendChild(el('summary', '', T.ruledOut + '（' + rest.length + '）'));
      var ul2 = el('ul', 'rlist');
      rest.forEach(function (v) { ul2.appendChild(result(v)); });
      d.appendChild(ul2);
      box.appendChild(d);
    }
    return box;
  }

  function result(v) {
    var li = el('li', 'result ' + v.status);
    var head = el('p', 'rhead');
    head.append(el('span', 'badge', T.status[v.status] || v.status), el('strong', 'benefit', v.benefit));
    li.appendChild(head);
    if (v.amount) {
      li.appendChild(el('p', 'amount', T.amount + v.amount));
    }
    if (v.why) {
      li.appendChild(el('p', 'why', v.why));
    }
    if (v.next_step && (v.status === 'eligible' || v.status === 'possible' || v.status === 'superseded')) {
      li.appendChild(el('p', 'next', T.next + v.next_step));
    }
    if (v.title) {
      li.appendChild(el('p', 'basis', T.basis + v.title));
    }
    return li;
  }

  function feedback(entry) {
    var box = el('div', 'feedback');
    var q = el('span', 'ask', T.ask);
    var up = button('thumb', '👍');
    var down = button('thumb', '👎');
    var said = el('span', 'said');
    said.setAttribute('role', 'status');
    up.setAttribute('aria-label', T.helpful);
    down.setAttribute('aria-label', T.unhelpful);
    var mark = function () {
      up.setAttribute('aria-pressed', String(entry.fb === true));
      down.setAttribute('aria-pressed', String(entry.fb === false));
    };
    var press = function (helpful) {
      post('feedback', { session: entry.reply.session, turn: entry.reply.turn, helpful: helpful }).then(function (r) {
        if (r.ok) {
          entry.fb = helpful;
          mark();
          said.textContent = T.thanks;
          save();
        } else {
          said.textContent = failure(r);
        }
      });
    };
    up.addEventListener('click', function () { press(true); });
    down.addEventListener('click', function () { press(false); });
    mark();
    box.append(q, up, down, said);
    return box;
  }

  function button(cls, text) {
    var b = el('button', cls, text);
    b.type = 'button';
    return b;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function load() {
    try {
      var s = JSON.parse(localStorage.getItem(storageKey) || 'null');
      if (s && Array.isArray(s.log)) {
        return { session: String(s.session || ''), open: !!s.open, log: s.log };
      }
    } catch (e) { /* storage off or damaged: start afresh */ }
    return { session: '', open: false, log: [] };
  }

  function save() {
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (e) { /* storage full or off: the page still works */ }
  }

  // style gives the shadow root its CSS as a constructed stylesheet, which
  // the host page's CSP does not treat as inline style.
  function style(r) {
    if (r.adoptedStyleSheets !== undefined && window.CSSStyleSheet) {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS_TEXT);
        r.adoptedStyleSheets = [sheet];
        return;
      } catch (e) { /* fall back below */ }
    }
    r.appendChild(el('style', '', CSS_TEXT));
  }
}());
