// patches/@remix-run+router+*.patch: the server's router keeps each route tree's flattened, ranked branches, the
// compiled paths and the matches of each path instead of redoing them for every match. Matching must answer as
// upstream does, and the tree is read once, which is why only the server's (CommonJS) build is patched. The server's
// static router (patched in react-router-dom and @remix-run/react) converts a route tree once, so that matching can
// keep its work.
import { createStaticHandler, matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
// The CommonJS build, the one @remix-run/react requires on the server.
import { createStaticRouter } from "react-router-dom/server.js";
import { describe, expect, it } from "vitest";

function tree(): AgnosticRouteObject[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "home", index: true },
        { id: "product", path: "products/:slug" },
        { id: "new-product", path: "products/new" },
        {
          id: "orders",
          path: "orders",
          children: [
            { id: "orders-index", index: true },
            { id: "order", path: ":number" },
          ],
        },
        { id: "optional", path: "lang/:code?" },
        { id: "splat", path: "*" },
      ],
    },
  ];
}

const ids = (routes: AgnosticRouteObject[], path: string) => matchRoutes(routes, path)?.map((m) => m.route.id);

describe("route matching on the server", () => {
  it("ranks static over dynamic over splat, and finds index and nested routes, as upstream", () => {
    const routes = tree();
    for (let round = 0; round < 2; round++) {
      expect(ids(routes, "/")).toEqual(["root", "home"]);
      expect(ids(routes, "/products/new")).toEqual(["root", "new-product"]);
      expect(ids(routes, "/products/peaches")).toEqual(["root", "product"]);
      expect(matchRoutes(routes, "/products/%E6%A1%83")?.[1]?.params).toEqual({ slug: "桃" });
      expect(ids(routes, "/orders")).toEqual(["root", "orders", "orders-index"]);
      expect(matchRoutes(routes, "/orders/A-7/")?.[2]?.params).toEqual({ number: "A-7" });
      expect(matchRoutes(routes, "/lang")?.[1]?.params).toEqual({ code: undefined });
      expect(matchRoutes(routes, "/LANG/en")?.[1]?.params).toEqual({ code: "en" });
      expect(matchRoutes(routes, "/x/y")?.[1]?.params).toEqual({ "*": "x/y" });
    }
  });

  it("gives the same answers for a second tree with the same paths, each with its own route objects", () => {
    const first = tree();
    const second = tree();
    expect(matchRoutes(first, "/products/peaches")?.[1]?.route).toBe(first[0]!.children![1]);
    expect(matchRoutes(second, "/products/peaches")?.[1]?.route).toBe(second[0]!.children![1]);
  });

  it("matches a path against a tree once: the same frozen matches again, another path its own", () => {
    const routes = tree();
    const first = matchRoutes(routes, "/products/peaches");
    expect(matchRoutes(routes, "/products/peaches")).toBe(first);
    expect(matchRoutes(routes, { pathname: "/products/peaches" })).toBe(first);
    expect(Object.isFrozen(first) && first!.every((m) => Object.isFrozen(m) && Object.isFrozen(m.params))).toBe(true);
    expect(() => {
      (first![1]!.params as Record<string, string>).slug = "plums";
    }).toThrow(TypeError);
    expect(matchRoutes(routes, "/products/plums")?.[1]?.params).toEqual({ slug: "plums" });
    expect(matchRoutes(tree(), "/products/peaches")).not.toBe(first);
    expect(matchRoutes([{ id: "only", path: "only" }], "/elsewhere")).toBeNull();
  });

  it("reads a route tree once: a route added to it later is not matched", () => {
    const routes = tree();
    expect(ids(routes, "/cart")).toEqual(["root", "splat"]);
    routes[0]!.children!.push({ id: "cart", path: "cart" });
    expect(ids(routes, "/cart")).toEqual(["root", "splat"]);
    expect(ids(tree().concat([{ id: "cart", path: "cart" }]), "/cart")).toEqual(["cart"]);
  });
});

describe("the server's static router", () => {
  it("converts a route tree once and matches on the converted routes", async () => {
    const routes = tree();
    const context = await createStaticHandler(routes).query(new Request("http://localhost/products/peaches"));
    if (context instanceof Response) throw new Error("no redirect expected");
    const first = createStaticRouter(routes, context);
    const second = createStaticRouter(routes, context);
    expect(second.routes).toBe(first.routes);
    expect(first.state.matches.map((m) => m.route.id)).toEqual(["root", "product"]);
    expect(first.state.matches[1]!.route).toBe(first.routes[0]!.children![1]);
    expect(createStaticRouter(tree(), context).routes).not.toBe(first.routes);
  });
});
