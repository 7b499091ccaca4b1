/*
 * policybot hotline staff console. Plain JavaScript, no dependencies.
 * Every text from the server is set with textContent, never as HTML.
 */
(function () {
  'use strict';

  var STATUS = { eligible: '可以享受', possible: '可能可以享受', superseded: '已被后续文件调整', ineligible: '不符合', expired: '已到期' };
  var EFFECT = { continues: '延续', changes: '调整', replaces: '取代', ends: '终止' };
  var CONFIDENCE = { official: '已在政府网站核实', secondary: '待核实线索（仅见新闻转载）', lead: '待核实线索（未见原文）' };
  var TURN = { answered: '已回答', no_answer: '未答出', asking: '追问中', result: '已出结果', error: '出错' };
  var CHANNEL = { web: '网站', telegram: 'Telegram', wechat: '微信公众号', staff: '坐席', api: '接口', cli: '命令行' };
  var SIGNIN = { ok: '成功', failed: '失败', locked: '已锁定' };
  var PALETTE = ['#c62828', '#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037'];

  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // api fetches a console API as JSON; without a session it goes to the
  // sign-in page.
  function api(path, body) {
    var opts = { credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      opts.method = 'POST';
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (res) {
      if (res.status === 401) {
        location.href = '/staff/login';
        throw new Error('请重新登录');
      }
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) { throw new Error(data.error || ('HTTP ' + res.status)); }
        return data;
      });
    });
  }

  function clock(stamp) { // "2022-06-02T09:05:00+08:00" → "06-02 09:05"
    return stamp ? stamp.slice(5, 16).replace('T', ' ') : '';
  }

  function cell(tr, text, cls) {
    var td = el('td', cls, text);
    tr.appendChild(td);
    return td;
  }

  function fill(tbody, rows, empty, columns) {
    tbody.textContent = '';
    if (!rows.length) {
      var tr = el('tr');
      var td = cell(tr, empty, 'muted');
      td.colSpan = columns;
      tbody.appendChild(tr);
    }
  }

  /* ---------- Search ---------- */

  function search(e) {
    e.preventDefault();
    var q = $('q').value.trim();
    if (!q) { return; }
    $('search-status').textContent = '正在检索…';
    api('/staff/api/search?q=' + encodeURIComponent(q)).then(function (res) {
      var hits = $('hits');
      hits.textContent = '';
      if (!res.hits.length) {
        $('search-status').textContent = res.out_of_scope ? '这不在政策文件的范围内，没有找到相关条款。' : '没有找到相关条款。';
        return;
      }
      $('search-status').textContent = '找到 ' + res.hits.length + ' 条相关条款。';
      res.hits.forEach(function (h, i) { hits.appendChild(hit(h, i)); });
    }).catch(function (err) {
      $('search-status').textContent = '检索失败：' + err.message;
    });
  }

  function sentence(s) {
    var span = el('span', s.hit ? 'sent match' : 'sent');
    s.parts.forEach(function (p) {
      span.appendChild(p.mark ? el('mark', '', p.text) : document.createTextNode(p.text));
    });
    return span;
  }

  function hit(h, i) {
    var li = el('li', 'hit');
    var head = el('h3');
    head.append(el('span', 'label', h.label), document.createTextNode(h.title));
    li.appendChild(head);
    li.appendChild(el('p', 'where', '《' + (h.doc_title || h.doc) + '》 ' + (h.part || '')));
    if (h.later && h.later.length) {
      var note = el('p', 'later-note');
      note.appendChild(document.createTextNode('后续文件：' + h.later.join('、') + ' '));
      var go = el('a', '', '查看现行情况');
      go.href = '#currency-' + h.doc + '-' + h.clause;
      note.appendChild(go);
      li.appendChild(note);
    }
    if (h.sentences.length) {
      var best = el('p', 'best');
      best.appendChild(sentence(h.sentences[h.best]));
      li.appendChild(best);
    }
    var toggle = el('button', 'link', '查看条款全文');
    toggle.type = 'button';
    var full = el('div', 'clause');
    full.id = 'clause-' + i;
    full.hidden = true;
    var p = el('p');
    p.appendChild(el('strong', '', h.label + h.title + '。'));
    h.sentences.forEach(function (s) { p.appendChild(sentence(s)); });
    full.appendChild(p);
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-controls', full.id);
    toggle.addEventListener('click', function () {
      full.hidden = !full.hidden;
      toggle.setAttribute('aria-expanded', String(!full.hidden));
      toggle.textContent = full.hidden ? '查看条款全文' : '收起条款';
    });
    li.append(toggle, full);
    return li;
  }

  /* ---------- Eligibility checklist ---------- */

  var facts = [];
  var checkSeq = 0;
  var checkTimer = 0;

  function buildForm(list) {
    facts = list;
    var form = $('check-form');
    form.textContent = '';
    list.forEach(function (f) {
      var id = 'fact-' + f.key;
      var wrap = el('div', 'fact');
      var label = el('label', '', f.name || f.question);
      label.htmlFor = id;
      var control;
      if (f.type === 'bool' || f.type === 'enum') {
        control = el('select');
        control.appendChild(new Option('—', ''));
        var values = f.type === 'bool' ? [{ value: 'true', label: '是' }, { value: 'false', label: '否' }] : (f.values || []);
        values.forEach(function (v) { control.appendChild(new Option(v.label, v.value)); });
      } else {
        control = el('input');
        control.type = f.type === 'date' ? 'date' : 'number';
        if (f.type === 'int') {
          control.min = '0';
          control.step = '1';
          control.inputMode = 'numeric';
        }
      }
      control.id = id;
      control.name = f.key;
      control.dataset.type = f.type;
      wrap.appendChild(label);
      if (f.unit) {
        var line = el('div', 'with-unit');
        line.append(control, el('span', 'unit', f.unit));
        wrap.appendChild(line);
      } else {
        wrap.appendChild(control);
      }
      if (f.name) {
        var hint = el('p', 'hint', f.question);
        hint.id = id + '-hint';
        control.setAttribute('aria-describedby', hint.id);
        wrap.appendChild(hint);
      }
      form.appendChild(wrap);
    });
  }

  function filled() {
    var out = {};
    var n = 0;
    facts.forEach(function (f) {
      var c = $('fact-' + f.key);
      if (!c || c.value === '') { return; }
      var v = c.value;
      if (f.type === 'bool') { v = v === 'true'; }
      if (f.type === 'int') {
        v = Number(v);
        if (!isFinite(v)) { return; }
      }
      out[f.key] = v;
      n++;
    });
    return n ? out : null;
  }

  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 350);
  }

  function check() {
    var profile = filled();
    var seq = ++checkSeq;
    if (!profile) {
      $('check-results').textContent = '';
      $('script').value = '';
      $('check-status').textContent = '';
      return;
    }
    $('check-status').textContent = '正在判断…';
    api('/staff/api/check', { facts: profile }).then(function (reply) {
      if (seq !== checkSeq) { return; } // a newer check is on its way
      showResults(reply.results || []);
      $('script').value = reply.reply || '';
      $('check-status').textContent = '已按 ' + Object.keys(profile).length + ' 项信息更新';
    }).catch(function (err) {
      if (seq === checkSeq) { $('check-status').textContent = '无法判断：' + err.message; }
    });
  }

  function showResults(results) {
    var box = $('check-results');
    box.textContent = '';
    // A benefit a later document changed is shown with what may apply:
    // the caller is told the newer document, not a 2022 amount.
    var good = results.filter(function (v) { return v.status === 'eligible' || v.status === 'possible'; });
    var changed = results.filter(function (v) { return v.status === 'superseded'; });
    var rest = results.filter(function (v) { return good.indexOf(v) < 0 && changed.indexOf(v) < 0; });
    var ul = el('ul', 'rlist');
    good.concat(changed).forEach(function (v) { ul.appendChild(verdict(v)); });
    if (!good.length && !changed.length) { ul.appendChild(el('li', 'muted', '按目前填写的信息，没有明确可以享受的政策。')); }
    box.appendChild(ul);
    if (rest.length) {
      var d = el('details');
      d.appendChild(el('summary', '', '不符合或已到期（' + rest.length + '）'));
      var ul2 = el('ul', 'rlist');
      rest.forEach(function (v) { ul2.appendChild(verdict(v)); });
      d.appendChild(ul2);
      box.appendChild(d);
    }
  }

  function verdict(v) {
    var li = el('li', 'result ' + v.status);
    var head = el('p', 'rhead');
    head.append(el('span', 'badge', STATUS[v.status] || v.status), el('strong', '', v.benefit));
    li.appendChild(head);
    if (v.amount) { li.appendChild(el('p', 'amount', '金额：' + v.amount)); }
    if (v.why) { li.appendChild(el('p', 'why', v.why)); }
    if (v.title) { li.appendChild(el('p', 'muted', '依据：' + v.title)); }
    return li;
  }

  function copyScript() {
    var text = $('script').value;
    if (!text) { $('copy-status').textContent = '还没有话术可复制。'; return; }
    var done = function () { $('copy-status').textContent = '已复制'; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
    function fallback() {
      $('script').select();
      $('copy-status').textContent = document.execCommand('copy') ? '已复制' : '请按 Ctrl+C 复制选中的文字';
    }
  }

  /* ---------- Recent conversations ---------- */

  function loadRecent() {
    return api('/staff/api/conversations?limit=25').then(function (res) {
      var tbody = $('recent-table').tBodies[0];
      fill(tbody, res.conversations, '还没有对话。', 7);
      res.conversations.forEach(function (c) {
        var tr = el('tr');
        cell(tr, clock(c.updated));
        cell(tr, CHANNEL[c.channel] || c.channel);
        cell(tr, c.turns, 'num');
        cell(tr, c.last_in, 'text');
        cell(tr, TURN[c.status] || c.status);
        var res2 = cell(tr, '', 'text');
        var shown = c.results.filter(function (v) { return v.status === 'eligible' || v.status === 'possible'; });
        shown.slice(0, 4).forEach(function (v) {
          res2.appendChild(el('div', 'verdict ' + v.status, (STATUS[v.status] || v.status) + '：' + v.benefit + (v.amount ? '（' + v.amount + '）' : '')));
        });
        if (shown.length > 4) { res2.appendChild(el('div', 'muted', '另有 ' + (shown.length - 4) + ' 项')); }
        cell(tr, (c.helpful ? '👍' + c.helpful + ' ' : '') + (c.unhelpful ? '👎' + c.unhelpful : ''));
        tbody.appendChild(tr);
      });
    }).catch(function (err) {
      fill($('recent-table').tBodies[0], [], '无法读取：' + err.message, 7);
    });
  }

  /* ---------- Operations ---------- */

  function loadReport() {
    return api('/staff/api/report?days=' + $('ops-days').value).then(function (rep) {
      volumes(rep);
      top(rep.top);
      gaps(rep.gaps);
      signIns(rep.sign_ins);
    }).catch(function (err) {
      $('volume-chart').textContent = '无法读取：' + err.message;
    });
  }

  function channelsOf(vols) {
    var seen = [];
    vols.forEach(function (v) { if (seen.indexOf(v.channel) < 0) { seen.push(v.channel); } });
    return seen.sort();
  }

  // volumes draws conversations per day as stacked bars, one colour per
  // channel, and the same numbers as a table.
  function volumes(rep) {
    var chans = channelsOf(rep.volumes);
    var by = {};
    rep.volumes.forEach(function (v) { by[v.day + '|' + v.channel] = v; });
    var totals = rep.days.map(function (d) {
      return chans.reduce(function (n, c) { return n + ((by[d + '|' + c] || {}).conversations || 0); }, 0);
    });
    var peak = Math.max.apply(null, totals.concat([1]));

    var NS = 'http://www.w3.org/2000/svg';
    var W = 640, H = 180, pad = 24, bw = (W - pad) / rep.days.length;
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + (H + 24));
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', '每天对话量柱状图，数字见下表');
    rep.days.forEach(function (d, i) {
      var y = H;
      chans.forEach(function (c, k) {
        var n = (by[d + '|' + c] || {}).conversations || 0;
        if (!n) { return; }
        var h = n / peak * (H - 10);
        var r = document.createElementNS(NS, 'rect');
        r.setAttribute('x', String(pad + i * bw + 2));
        r.setAttribute('y', String(y - h));
        r.setAttribute('width', String(Math.max(bw - 4, 1)));
        r.setAttribute('height', String(h));
        r.setAttribute('fill', PALETTE[k % PALETTE.length]);
        var t = document.createElementNS(NS, 'title');
        t.textContent = d + ' ' + (CHANNEL[c] || c) + '：' + n;
        r.appendChild(t);
        svg.appendChild(r);
        y -= h;
      });
      if (rep.days.length <= 31 && (i % Math.ceil(rep.days.length / 10) === 0 || i === rep.days.length - 1)) {
        var lab = document.createElementNS(NS, 'text');
        lab.setAttribute('x', String(pad + i * bw + bw / 2));
        lab.setAttribute('y', String(H + 16));
        lab.setAttribute('text-anchor', 'middle');
        lab.setAttribute('font-size', '11');
        lab.textContent = d.slice(5);
        svg.appendChild(lab);
      }
    });
    var axis = document.createElementNS(NS, 'text');
    axis.setAttribute('x', '0');
    axis.setAttribute('y', '12');
    axis.setAttribute('font-size', '11');
    axis.textContent = String(peak);
    svg.appendChild(axis);
    var chart = $('volume-chart');
    chart.textContent = '';
    chart.appendChild(svg);
    var legend = el('ul', 'legend');
    chans.forEach(function (c, k) {
      var li = el('li');
      var sw = el('span', 'swatch');
      sw.style.background = PALETTE[k % PALETTE.length];
      li.append(sw, document.createTextNode(CHANNEL[c] || c));
      legend.appendChild(li);
    });
    chart.appendChild(legend);

    var table = $('volume-table');
    table.tHead.textContent = '';
    var hr = el('tr');
    hr.appendChild(el('th', '', '日期'));
    chans.forEach(function (c) { hr.appendChild(el('th', '', (CHANNEL[c] || c) + ' 对话/轮次')); });
    hr.appendChild(el('th', '', '合计对话'));
    Array.prototype.forEach.call(hr.children, function (th) { th.scope = 'col'; });
    table.tHead.appendChild(hr);
    var tbody = table.tBodies[0];
    tbody.textContent = '';
    rep.days.slice().reverse().forEach(function (d) {
      var tr = el('tr');
      cell(tr, d);
      var total = 0;
      chans.forEach(function (c) {
        var v = by[d + '|' + c];
        total += v ? v.conversations : 0;
        cell(tr, v ? v.conversations + ' / ' + v.turns : '–', 'num');
      });
      cell(tr, total, 'num');
      tbody.appendChild(tr);
    });
  }

  function top(list) {
    var tbody = $('top-table').tBodies[0];
    fill(tbody, list, '这段时间还没有提问。', 3);
    var peak = list.reduce(function (m, q) { return Math.max(m, q.count); }, 1);
    list.forEach(function (q) {
      var tr = el('tr');
      cell(tr, q.text, 'text');
      var c = cell(tr, '', 'num bar-cell');
      var bar = el('span', 'bar');
      bar.style.width = Math.round(q.count / peak * 100) + '%';
      c.append(bar, el('span', '', q.count));
      cell(tr, q.no_answer || '', 'num');
      tbody.appendChild(tr);
    });
  }

  function gaps(list) {
    var tbody = $('gap-table').tBodies[0];
    fill(tbody, list, '这段时间没有没答上的问题。', 4);
    list.forEach(function (g) {
      var tr = el('tr');
      cell(tr, clock(g.at));
      cell(tr, CHANNEL[g.channel] || g.channel);
      cell(tr, g.in, 'text');
      cell(tr, g.unhelpful ? '👎 没帮助' : '未答出');
      tbody.appendChild(tr);
    });
  }

  function signIns(list) {
    var tbody = $('login-table').tBodies[0];
    fill(tbody, list, '没有登录记录。', 4);
    list.forEach(function (l) {
      var tr = el('tr', l.outcome === 'ok' ? '' : 'warn');
      cell(tr, clock(l.at));
      cell(tr, l.name || '（不是账号的名字）');
      cell(tr, l.addr);
      cell(tr, SIGNIN[l.outcome] || l.outcome);
      tbody.appendChild(tr);
    });
  }

  /* ---------- Policy update registry ---------- */

  function loadCurrency() {
    return api('/staff/api/currency').then(function (res) {
      var box = $('currency-notices');
      box.textContent = '';
      if (!res.notices.length) {
        $('currency-status').textContent = '没有政策更新登记。';
        return;
      }
      $('currency-status').textContent = '按 ' + res.today + ' 判断是否到期；只有“已在政府网站核实”的文件会告诉来电人和网站用户，线索请核实后再说。';
      res.notices.forEach(function (n) { box.appendChild(notice(n)); });
    }).catch(function (err) {
      $('currency-status').textContent = '无法读取政策更新登记：' + err.message;
    });
  }

  function notice(n) {
    var div = el('div', 'notice');
    div.appendChild(el('h3', '', '《' + n.title + '》' + (n.number ? n.number : '')));
    var meta = el('p', 'muted');
    meta.appendChild(document.createTextNode('登记核对日期：' + n.checked + '。'));
    if (n.number_cited_by) {
      meta.appendChild(document.createTextNode('文号见于官方页面：'));
      var a = el('a', '', n.number_cited_by.page + '（' + n.number_cited_by.date + '）');
      a.href = n.number_cited_by.url;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      meta.appendChild(a);
    }
    div.appendChild(meta);
    if (n.checked_how) { div.appendChild(el('p', 'muted small', n.checked_how)); }
    var table = el('table', 'currency');
    var head = el('tr');
    ['条款', '后续文件', '作用', '变化（我们的概括）', '可信度'].forEach(function (h) {
      var th = el('th', '', h);
      th.scope = 'col';
      head.appendChild(th);
    });
    table.appendChild(el('thead')).appendChild(head);
    var body = el('tbody');
    n.clauses.forEach(function (c) {
      c.documents.forEach(function (d, i) {
        var tr = el('tr', d.lead ? 'lead' : '');
        if (i === 0) {
          var th = el('th', 'clause-cell', c.label + c.title);
          th.scope = 'row';
          th.rowSpan = c.documents.length;
          th.id = 'currency-' + n.doc + '-' + c.clause;
          tr.appendChild(th);
        }
        var docCell = cell(tr, '');
        var name = '《' + d.title + '》' + (d.number ? d.number : '') + '，' + d.date + '，' + d.issuer;
        if (d.source) {
          var link = el('a', '', name);
          link.href = d.source;
          link.rel = 'noopener noreferrer';
          link.target = '_blank';
          docCell.appendChild(link);
        } else {
          docCell.appendChild(document.createTextNode(name));
        }
        var effect = (EFFECT[d.effect] || d.effect) + (d.period_end ? '，至' + d.period_end : '') + (d.ended ? '（已结束）' : '');
        cell(tr, effect);
        cell(tr, d.change, 'text');
        var conf = cell(tr, CONFIDENCE[d.confidence] || d.confidence, 'conf ' + d.confidence);
        if (d.verified) { conf.title = d.verified; conf.appendChild(el('span', 'small muted', ' ' + d.verified)); }
        body.appendChild(tr);
      });
    });
    table.appendChild(body);
    var wrap = el('div', 'scroll');
    wrap.appendChild(table);
    div.appendChild(wrap);
    return div;
  }

  /* ---------- Start ---------- */

  document.addEventListener('DOMContentLoaded', function () {
    $('search-form').addEventListener('submit', search);
    $('check-form').addEventListener('input', scheduleCheck);
    $('check-form').addEventListener('change', scheduleCheck);
    $('check-form').addEventListener('submit', function (e) { e.preventDefault(); });
    $('check-clear').addEventListener('click', function () { $('check-form').reset(); check(); });
    $('copy-script').addEventListener('click', copyScript);
    $('recent-refresh').addEventListener('click', loadRecent);
    $('ops-days').addEventListener('change', loadReport);
    fetch('/api/facts', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (d) {
      buildForm(d.facts || []);
    }).catch(function () {
      $('check-status').textContent = '无法读取核对项，请刷新页面。';
    });
    loadRecent();
    loadReport();
    loadCurrency();
    setInterval(function () {
      if (!document.hidden) { loadRecent(); }
    }, 30000);
  });
}());
