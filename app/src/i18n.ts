import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./locales/en";
import { zh } from "./locales/zh";

const saved = typeof localStorage !== "undefined" ? localStorage.getItem("huzhu.lang") : null;
const lng = saved ?? (typeof navigator !== "undefined" && navigator.language.startsWith("zh") ? "zh-CN" : "en");

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, "zh-CN": { translation: zh } },
  lng,
  fallbackLng: "en",
  interpolation: { escapeValue: false },
});

i18n.on("languageChanged", (l) => {
  localStorage.setItem("huzhu.lang", l);
  document.documentElement.lang = l;
});
document.documentElement.lang = lng;

export default i18n;
