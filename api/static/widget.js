/* Chat widget: plain JavaScript, no third-party code, no cookies. Everything from users and from the
   directory is inserted as text (textContent), never as HTML. The conversation survives a reload in
   the same tab (sessionStorage) until "new conversation" clears it. */
(function () {
  "use strict";

  var RTL = { ar: true, fa: true };
  var UI = {
    de: { title: "Orientierung in Berlin", language: "Sprache", "new": "Neues Gespräch", input: "Deine Frage",
          placeholder: "Schreib deine Frage …", send: "Senden", emergency: "Notfall: Polizei 110 · Feuerwehr und Rettungsdienst 112",
          privacy: "Ich bin ein Chatbot. Schreib keine Namen, Adressen oder Aktenzeichen.", address: "Adresse", phone: "Telefon",
          web: "Web", email: "E-Mail", hours: "Zeiten", map: "Karte", source: "Quelle", outdated: "möglicherweise veraltet – bitte vorher prüfen",
          unreachable: "Der Server ist nicht erreichbar. Bitte prüf deine Verbindung und versuch es noch einmal. Im Notfall: 110 oder 112.",
          welcome: "Hallo! Frag mich, wo du in Berlin Hilfe findest: Wohnung, Ärztin, Schule, Deutschkurs, Arbeit, Diskriminierung …",
          appointment: "Nur mit Termin", sending: "Wird gesendet …" },
    en: { title: "Orientation in Berlin", language: "Language", "new": "New conversation", input: "Your question",
          placeholder: "Type your question …", send: "Send", emergency: "Emergency: police 110 · fire brigade and ambulance 112",
          privacy: "I am a chatbot. Do not write names, addresses or file numbers.", address: "Address", phone: "Phone",
          web: "Web", email: "E-mail", hours: "Hours", map: "Map", source: "Source", outdated: "possibly outdated – please check before you go",
          unreachable: "The server cannot be reached. Please check your connection and try again. In an emergency: 110 or 112.",
          welcome: "Hello! Ask me where to find help in Berlin: a flat, a doctor, school, a German course, work, discrimination …",
          appointment: "Appointment needed", sending: "Sending …" },
    ar: { title: "التوجيه في برلين", language: "اللغة", "new": "محادثة جديدة", input: "سؤالك",
          placeholder: "اكتب سؤالك …", send: "إرسال", emergency: "طوارئ: الشرطة 110 · الإطفاء والإسعاف 112",
          privacy: "أنا روبوت محادثة. لا تكتب أسماء أو عناوين أو أرقام ملفات.", address: "العنوان", phone: "الهاتف",
          web: "الموقع", email: "البريد الإلكتروني", hours: "الأوقات", map: "الخريطة", source: "المصدر", outdated: "قد تكون قديمة – يرجى التحقق قبل الذهاب",
          unreachable: "لا يمكن الوصول إلى الخادم. تحقق من اتصالك وحاول مرة أخرى. في الطوارئ: 110 أو 112.",
          welcome: "مرحباً! اسألني أين تجد المساعدة في برلين: سكن، طبيب، مدرسة، دورة ألمانية، عمل، تمييز …",
          appointment: "بموعد فقط", sending: "جارٍ الإرسال …" },
    uk: { title: "Орієнтація в Берліні", language: "Мова", "new": "Нова розмова", input: "Ваше питання",
          placeholder: "Напишіть своє питання …", send: "Надіслати", emergency: "Екстрено: поліція 110 · пожежна та швидка 112",
          privacy: "Я чат-бот. Не пишіть імен, адрес чи номерів справ.", address: "Адреса", phone: "Телефон",
          web: "Сайт", email: "Ел. пошта", hours: "Години", map: "Карта", source: "Джерело", outdated: "можливо, застаріло – перевірте перед візитом",
          unreachable: "Сервер недоступний. Перевірте з'єднання і спробуйте ще раз. Екстрено: 110 або 112.",
          welcome: "Привіт! Запитайте, де знайти допомогу в Берліні: житло, лікар, школа, курс німецької, робота, дискримінація …",
          appointment: "Лише за записом", sending: "Надсилання …" },
    fa: { title: "راهنمایی در برلین", language: "زبان", "new": "گفتگوی جدید", input: "سؤال شما",
          placeholder: "سؤالت را بنویس …", send: "ارسال", emergency: "اورژانس: پلیس 110 · آتش‌نشانی و آمبولانس 112",
          privacy: "من یک چت‌بات هستم. نام، آدرس یا شماره پرونده ننویس.", address: "آدرس", phone: "تلفن",
          web: "وب‌سایت", email: "ایمیل", hours: "ساعات", map: "نقشه", source: "منبع", outdated: "ممکن است قدیمی باشد – لطفاً قبل از رفتن بررسی کن",
          unreachable: "سرور در دسترس نیست. اتصال خود را بررسی کن و دوباره امتحان کن. در اورژانس: 110 یا 112.",
          welcome: "سلام! از من بپرس در برلین کجا کمک پیدا کنی: خانه، دکتر، مدرسه، کلاس آلمانی، کار، تبعیض …",
          appointment: "فقط با وقت قبلی", sending: "در حال ارسال …" },
    ru: { title: "Ориентация в Берлине", language: "Язык", "new": "Новый разговор", input: "Ваш вопрос",
          placeholder: "Напишите свой вопрос …", send: "Отправить", emergency: "Экстренно: полиция 110 · пожарные и скорая 112",
          privacy: "Я чат-бот. Не пишите имён, адресов или номеров дел.", address: "Адрес", phone: "Телефон",
          web: "Сайт", email: "Эл. почта", hours: "Часы", map: "Карта", source: "Источник", outdated: "возможно, устарело – проверьте перед визитом",
          unreachable: "Сервер недоступен. Проверьте соединение и попробуйте ещё раз. Экстренно: 110 или 112.",
          welcome: "Привет! Спросите, где найти помощь в Берлине: жильё, врач, школа, курс немецкого, работа, дискриминация …",
          appointment: "Только по записи", sending: "Отправка …" },
    tr: { title: "Berlin'de yol gösterme", language: "Dil", "new": "Yeni sohbet", input: "Sorunuz",
          placeholder: "Sorunu yaz …", send: "Gönder", emergency: "Acil: polis 110 · itfaiye ve ambulans 112",
          privacy: "Ben bir sohbet botuyum. İsim, adres veya dosya numarası yazma.", address: "Adres", phone: "Telefon",
          web: "Web", email: "E-posta", hours: "Saatler", map: "Harita", source: "Kaynak", outdated: "güncel olmayabilir – gitmeden önce kontrol et",
          unreachable: "Sunucuya ulaşılamıyor. Bağlantını kontrol edip tekrar dene. Acil durumda: 110 veya 112.",
          welcome: "Merhaba! Berlin'de nereden yardım bulacağını sor: ev, doktor, okul, Almanca kursu, iş, ayrımcılık …",
          appointment: "Sadece randevuyla", sending: "Gönderiliyor …" }
  };
  var STORE = "berlin-chat-v1";
  var URL_RE = /(https?:\/\/[^\s<>"')]+[^\s<>"').,;:!?])/g;
  var LTR_RE = /(\+?\(?\d[\d\s()\/-]{2,}\d|[\w.+-]+@[\w-]+\.[\w.]+)/g;

  var log = document.getElementById("log");
  var form = document.getElementById("form");
  var input = document.getElementById("input");
  var send = document.getElementById("send");
  var status = document.getElementById("status");
  var picker = document.getElementById("language");
  var state = load();

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
      if (saved && Array.isArray(saved.items)) { return saved; }
    } catch (e) { /* a broken store starts a new conversation */ }
    var browser = (navigator.language || "de").slice(0, 2);
    return { conversation: null, language: UI[browser] ? browser : "de", items: [], picked: false };
  }
  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* storage full or disabled */ }
  }
  function ui(key) { return (UI[state.language] || UI.de)[key] || UI.en[key]; }

  function applyLanguage() {
    var lang = state.language;
    document.documentElement.lang = lang;
    document.documentElement.dir = RTL[lang] ? "rtl" : "ltr";
    picker.value = lang;
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (el) { el.textContent = ui(el.getAttribute("data-i18n")); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-placeholder]"), function (el) { el.placeholder = ui(el.getAttribute("data-i18n-placeholder")); });
    document.title = ui("title");
  }

  /* Text with links and left-to-right runs (phone numbers, e-mail), built from text nodes only. */
  function richText(parent, text) {
    String(text).split(URL_RE).forEach(function (part, i) {
      if (i % 2 === 1) {
        var a = document.createElement("a");
        a.href = part; a.textContent = part; a.rel = "noopener noreferrer"; a.target = "_blank"; a.className = "ltr";
        parent.appendChild(a);
      } else {
        part.split(LTR_RE).forEach(function (piece, j) {
          if (j % 2 === 1) { var s = document.createElement("bdi"); s.className = "ltr"; s.textContent = piece; parent.appendChild(s); }
          else if (piece) { parent.appendChild(document.createTextNode(piece)); }
        });
      }
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function row(card, label, value, href) {
    if (!value) { return; }
    var p = el("p", "card__row");
    p.appendChild(document.createTextNode(label + ": "));
    if (href) {
      var a = el("a", "ltr", value); a.href = href; a.rel = "noopener noreferrer";
      if (href.indexOf("http") === 0) { a.target = "_blank"; }
      p.appendChild(a);
    } else { richText(p, value); }
    card.appendChild(p);
  }

  function renderCards(payload) {
    var services = (payload && payload.services) || [];
    if (!services.length) { return null; }
    var box = el("div", "cards");
    box.setAttribute("data-topic", payload.topic || "");
    services.forEach(function (s) {
      var card = el("article", "card");
      card.appendChild(el("h2", "card__name", s.name_de));
      if (s.name && s.name !== s.name_de) { card.appendChild(el("p", "card__translation", s.name)); }
      if (s.description) { card.appendChild(el("p", "card__text", s.description)); }
      if (s.address) {
        var p = el("p", "card__row");
        p.appendChild(document.createTextNode(ui("address") + ": "));
        p.appendChild(el("bdi", "ltr", s.address));
        p.appendChild(document.createTextNode(" "));
        var map = el("a", "", "(" + ui("map") + ")");
        map.href = "https://www.openstreetmap.org/search?query=" + encodeURIComponent(s.address + ", Berlin");
        map.rel = "noopener noreferrer"; map.target = "_blank";
        p.appendChild(map);
        card.appendChild(p);
      }
      if (s.phone) { row(card, ui("phone"), s.phone, "tel:" + s.phone.replace(/[^\d+]/g, "")); }
      if (s.email) { row(card, ui("email"), s.email, "mailto:" + s.email); }
      if (s.web && /^https?:\/\//.test(s.web)) { row(card, ui("web"), s.web, s.web); }
      if (s.opening_hours) { row(card, ui("hours"), s.opening_hours); }
      if (s.appointment_needed) { card.appendChild(el("p", "card__row", ui("appointment"))); }
      var src = el("p", "card__source");
      src.appendChild(document.createTextNode(ui("source") + ": "));
      if (/^https?:\/\//.test(s.source_url || "")) {
        var a = el("a", "ltr", s.source_url.replace(/^https?:\/\/(www\.)?/, "").split("/")[0]);
        a.href = s.source_url; a.rel = "noopener noreferrer"; a.target = "_blank";
        src.appendChild(a);
      }
      src.appendChild(document.createTextNode(" · " + (s.as_of || s.source_date || "")));
      if (s.possibly_outdated) { src.appendChild(document.createTextNode(" · ")); src.appendChild(el("span", "card__outdated", ui("outdated"))); }
      card.appendChild(src);
      box.appendChild(card);
    });
    return box;
  }

  function renderButtons(buttons) {
    var box = el("div", "buttons");
    box.setAttribute("role", "group");
    buttons.forEach(function (b) {
      var btn = el("button", "", b.title);
      btn.type = "button";
      btn.addEventListener("click", function () { submit(b.payload, b.title); });
      box.appendChild(btn);
    });
    return box;
  }

  /* One stored item -> DOM. Items: {who: "user"|"bot"|"error", text, buttons, custom} */
  function render(item) {
    if (item.who === "user" || item.who === "error" || item.text) {
      var bubble = el("div", "msg msg--" + item.who);
      richText(bubble, item.text || "");
      log.appendChild(bubble);
    }
    if (item.custom) {
      var cards = renderCards(item.custom);
      if (cards) { log.appendChild(cards); }
    }
    if (item.buttons && item.buttons.length) { log.appendChild(renderButtons(item.buttons)); }
  }

  function add(item) {
    state.items.push(item);
    save();
    render(item);
    log.scrollTop = log.scrollHeight;
  }

  function busy(on) {
    send.disabled = on;
    status.textContent = on ? ui("sending") : "";
  }

  function submit(message, shown) {
    message = String(message || "").trim();
    if (!message) { return; }
    add({ who: "user", text: shown || message });
    busy(true);
    var body = { message: message, conversation: state.conversation };
    if (state.picked) { body.language = state.language; }
    fetch("/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "omit" })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        busy(false);
        if (!result.ok) { add({ who: "error", text: (result.data && result.data.message) || ui("unreachable") }); return; }
        state.conversation = result.data.conversation;
        state.picked = false;
        (result.data.messages || []).forEach(function (m) {
          if (m.custom && m.custom.language && UI[m.custom.language] && m.custom.language !== state.language) {
            state.language = m.custom.language; applyLanguage();
          }
          add({ who: m.error ? "error" : "bot", text: m.text || "", buttons: m.buttons || [], custom: m.custom || null });
        });
      })
      .catch(function () { busy(false); add({ who: "error", text: ui("unreachable") }); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    submit(text);
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit")); }
  });
  picker.addEventListener("change", function () {
    state.language = picker.value; state.picked = true; save(); applyLanguage();
  });
  document.getElementById("new").addEventListener("click", function () {
    sessionStorage.removeItem(STORE);
    var lang = state.language;
    state = { conversation: null, language: lang, items: [], picked: true };
    log.textContent = "";
    add({ who: "bot", text: ui("welcome") });
    input.focus();
  });

  applyLanguage();
  if (!state.items.length) { add({ who: "bot", text: ui("welcome") }); } else { state.items.forEach(render); log.scrollTop = log.scrollHeight; }
})();
