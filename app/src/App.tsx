import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Route, Switch, useRoute } from "wouter";
import { useHashLocation } from "wouter/use-hash-location";
import { Router } from "wouter";
import { Board } from "./pages/Board";
import { Connect } from "./ui/Connect";

const Member = lazy(() => import("./pages/Member"));
const Claims = lazy(() => import("./pages/Claims"));
const Audit = lazy(() => import("./pages/Audit"));
const Recovery = lazy(() => import("./pages/Recovery"));

function Nav({ href, label }: { href: string; label: string }) {
  const [active] = useRoute(href);
  return (
    <Link href={href} aria-current={active ? "page" : undefined}>
      {label}
    </Link>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  return (
    <Router hook={useHashLocation}>
      <a className="skip" href="#main">
        {t("skip")}
      </a>
      <header>
        <div className="brand">
          <strong>{t("brand")}</strong>
          <select
            aria-label={t("language")}
            value={i18n.language}
            onChange={(e) => void i18n.changeLanguage(e.target.value)}
            data-testid="language"
          >
            <option value="en">English</option>
            <option value="zh-CN">中文</option>
          </select>
        </div>
        <nav aria-label={t("nav.label")}>
          <Nav href="/" label={t("nav.board")} />
          <Nav href="/member" label={t("nav.member")} />
          <Nav href="/claims" label={t("nav.claims")} />
          <Nav href="/recover" label={t("nav.recovery")} />
          <Nav href="/audit" label={t("nav.audit")} />
        </nav>
        <Connect />
      </header>
      <main id="main">
        <Suspense fallback={<p role="status">{t("loading")}</p>}>
          <Switch>
            <Route path="/" component={Board} />
            <Route path="/member" component={Member} />
            <Route path="/claims" component={Claims} />
            <Route path="/recover" component={Recovery} />
            <Route path="/audit" component={Audit} />
            <Route>{t("notFound")}</Route>
          </Switch>
        </Suspense>
      </main>
    </Router>
  );
}
