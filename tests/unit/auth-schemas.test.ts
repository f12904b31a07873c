import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { RegisterSchema, SignInSchema, normalizeLogin } from "~/auth/schemas";
import { safeRedirect } from "~/utils/safe-redirect";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};

describe("login identifiers", () => {
  it.each([
    ["138 0000 0001", "13800000001"],
    ["+8613800000001", "13800000001"],
    [" Admin@Anshang.Example ", "admin@anshang.example"],
  ])("normalizes %s to %s", (raw, normalized) => {
    expect(normalizeLogin(raw)).toBe(normalized);
  });
});

describe("SignInSchema", () => {
  it("gives a message key for each missing field", () => {
    const result = parseWithZod(form({}), { schema: SignInSchema });
    expect(result.status).toBe("error");
    expect(result.reply().error).toMatchObject({ login: ["errors.required"], password: ["errors.required"] });
  });

  it("refuses a malformed phone number", () => {
    const result = parseWithZod(form({ login: "12345", password: "x" }), { schema: SignInSchema });
    expect(result.reply().error?.login).toEqual(["errors.invalidLogin"]);
  });
});

describe("RegisterSchema", () => {
  it("asks for a password of at least 10 characters (or a passphrase) and a unit", () => {
    const result = parseWithZod(form({ name: "张三", login: "13900000000", password: "short" }), { schema: RegisterSchema });
    expect(result.reply().error).toMatchObject({ password: ["errors.passwordTooShort"], unitId: ["errors.unitRequired"] });
  });

  it("accepts a complete registration and normalizes the login", () => {
    const result = parseWithZod(form({ name: "张三", login: "139-0000-0000", password: "long-enough", unitId: "u1" }), {
      schema: RegisterSchema,
    });
    expect(result.status).toBe("success");
    expect(result.status === "success" && result.value.login).toBe("13900000000");
  });
});

describe("safeRedirect", () => {
  it.each([
    ["/orders?page=2", "/orders?page=2"],
    ["https://evil.example", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    [null, "/"],
  ])("keeps %s on this site as %s", (to, expected) => {
    expect(safeRedirect(to)).toBe(expected);
  });
});
