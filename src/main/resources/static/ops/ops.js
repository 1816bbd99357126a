/* Shared by the operations pages: calls to the hub (session cookie + CSRF header), the top bar, small helpers. */
(function () {
  'use strict';

  function cookie(name) {
    var m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : null;
  }

  /** A call to the hub: JSON in and out; not logged in sends the person to the login page. */
  function api(path, options) {
    options = options || {};
    var method = options.method || 'GET';
    var headers = { 'X-Requested-With': 'XMLHttpRequest', 'Accept': 'application/json' };
    if (method !== 'GET') {
      headers['X-XSRF-TOKEN'] = cookie('XSRF-TOKEN') || '';
      headers['Content-Type'] = 'application/json';
    }
    return fetch(path, {
      method: method, headers: headers, credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body)
    }).then(function (r) {
      if (r.status === 401) {
        location.href = '/login.html';
        throw new Error('请先登录');
      }
      return r.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
        if (r.status === 403) throw new Error('无权限：此操作需要"操作员"角色（或页面已过期，请刷新）');
        if (!r.ok) throw new Error((data && data.error) || ('请求失败：HTTP ' + r.status));
        return data;
      });
    });
  }

  function esc(s) {
    if (s === null || s === undefined) return '';
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /** An instant shown as Beijing time, yyyy-MM-dd HH:mm:ss. */
  function time(iso) {
    if (!iso) return '';
    var d = new Date(typeof iso === 'number' ? iso : iso);
    if (isNaN(d.getTime())) return esc(iso);
    var b = new Date(d.getTime() + 8 * 3600 * 1000);
    function p(n) { return (n < 10 ? '0' : '') + n; }
    return b.getUTCFullYear() + '-' + p(b.getUTCMonth() + 1) + '-' + p(b.getUTCDate()) + ' ' +
      p(b.getUTCHours()) + ':' + p(b.getUTCMinutes()) + ':' + p(b.getUTCSeconds());
  }

  /** Today's Beijing date, yyyy-MM-dd. */
  function today() {
    return time(new Date().toISOString()).substring(0, 10);
  }

  function param(name) {
    return new URLSearchParams(location.search).get(name);
  }

  var PAGES = [
    ['dashboard.html', '态势总览'], ['cases.html', '案件查询'], ['triage.html', '人工分拨'], ['reply-reviews.html', '办结审核'],
    ['dead-letters.html', '死信处理'], ['feedback.html', '反馈失败'], ['report.html', '日汇总'],
    ['/actuator/hawtio/', '路由监控']
  ];

  /** The top bar: the pages, who is logged in, log out. Resolves with the user ({name, roles, operator}). */
  function start(active) {
    var bar = document.createElement('header');
    bar.className = 'topbar';
    var links = PAGES.map(function (p) {
      var href = p[0].charAt(0) === '/' ? p[0] : '/ops/' + p[0];
      // 路由监控 (hawtio) too: viewers see the routes there, only operators can stop or start them
      var cls = p[0] === active ? 'active' : '';
      return '<a href="' + href + '"' + (cls ? ' class="' + cls + '"' : '') + '>' + p[1] + '</a>';
    }).join('');
    bar.innerHTML = '<span class="brand">诉求汇聚中枢 · 运行管理</span><nav>' + links + '</nav>' +
      '<span class="user"><span id="user-name"></span> <span id="user-role" class="role"></span>' +
      '<form method="post" action="/logout" id="logout-form"><input type="hidden" name="_csrf" id="logout-csrf">' +
      '<button type="submit" class="link">退出</button></form></span>';
    document.body.insertBefore(bar, document.body.firstChild);
    document.getElementById('logout-form').addEventListener('submit', function () {
      document.getElementById('logout-csrf').value = cookie('XSRF-TOKEN') || '';
    });
    return api('/ops/me').then(function (me) {
      document.getElementById('user-name').textContent = me.name;
      document.getElementById('user-role').textContent = me.operator ? '操作员' : '查看员';
      document.body.classList.add(me.operator ? 'can-act' : 'view-only');
      return me;
    });
  }

  /** A message at the top of the page (ok or error), replaced by the next one. */
  function say(text, error) {
    var box = document.getElementById('message');
    if (!box) {
      box = document.createElement('div');
      box.id = 'message';
      document.querySelector('main').insertBefore(box, document.querySelector('main').firstChild);
    }
    box.className = error ? 'message error' : 'message ok';
    box.textContent = text;
  }

  var CHANNELS = { hotline12345: '12345热线', leaderboard: '领导留言板', miniprogram: '小程序', wechat: '微信公众号',
    supervision: '互联网+督查', grid: '网格上报' };
  var STATUSES = { RECEIVED: '已接收', TRIAGE: '待人工分拨', DISPATCHED: '已分派', ACCEPTED: '办理中', RESOLVED: '已办结',
    RETURNED_UPSTREAM: '已退回上级', MERGED: '已合并' };

  window.Ops = { api: api, esc: esc, time: time, today: today, param: param, start: start, say: say,
    cookie: cookie, CHANNELS: CHANNELS, STATUSES: STATUSES };
})();
