import cooperative from "./areas/cooperative";
import errors from "./areas/errors";
import groupOrders from "./areas/group-orders";
import households from "./areas/households";
import jobs from "./areas/jobs";
import orders from "./areas/orders";
import outreach from "./areas/outreach";
import reports from "./areas/reports";
import shop from "./areas/shop";
import type { Messages } from "./zh";

const en: Messages = {
  app: {
    name: "Anshang Village Shop",
    tagline: "Buy Anshang's peaches and noodles: every fen is credited to the household that produced them",
    skipToContent: "Skip to content",
  },
  nav: {
    home: "Home",
    shop: "Shop",
    orders: "My orders",
    account: "Account",
    organizer: "Group orders",
    coop: "Cooperative",
    team: "Work team",
    admin: "Admin",
    users: "Users",
    signIn: "Sign in",
    signOut: "Sign out",
    register: "Register",
    language: "Language",
    menu: "Menu",
  },
  language: { zh: "中文", en: "English", switchTo: "Switch to {{language}}" },
  roles: {
    employee: "Employee",
    organizer: "Organizer",
    coop: "Cooperative",
    team: "Work team",
    admin: "Administrator",
  },
  auth: {
    signInTitle: "Sign in",
    registerTitle: "Create an account",
    login: "Phone or email",
    loginHint: "e.g. 13800000001",
    password: "Password",
    passwordHint: "At least 10 characters, or three or more words",
    name: "Name",
    unit: "Your unit",
    chooseUnit: "Choose your unit",
    phoneOrEmail: "Phone or email",
    submitSignIn: "Sign in",
    submitRegister: "Register",
    signingIn: "Signing in…",
    registering: "Registering…",
    noAccount: "No account yet?",
    haveAccount: "Already registered?",
    signedOut: "You have signed out.",
    demoHint: "Demo accounts all use the password anshang2026",

    registered:
      "If this phone or email was new, your account is ready: sign in with the password you chose. If you already have an account, sign in with it.",
  },
  errors: errors.en,

  common: {
    save: "Save",
    saving: "Saving…",
    saved: "Saved",
    cancel: "Cancel",
    search: "Search",
    previous: "Previous",
    next: "Next",
    pageOf: "Page {{page}} of {{pages}}",
    none: "None",
    empty: "Nothing here yet",
    loading: "Loading…",
  },
  home: {
    welcome: "Hello, {{name}}",
    guestTitle: "Good food, real help",
    guestBody:
      "Pollution-free peaches and hand-made noodles from Anshang village, packed and delivered by its cooperative. Every sale is credited to the producing household's file.",
    employeeTitle: "Your unit's group orders",
    employeeBody: "Buy Anshang produce: join your unit's group order or have it delivered.",
    noOpenGroupOrders: "Your unit has no open group order right now.",
    countdown: "Closes in {{days}} d {{hours}} h {{minutes}} min",
    offered: "On offer:",
    groupOrderCloses: "Closes {{date}}",
    pickupAt: "Pickup: {{place}}",
    products: "Produce on sale",
    fromPrice: "from {{price}}",
  },
  organizer: {
    title: "Group orders",
    body: "Open group orders for your unit, follow sign-ups, export pickup lists and record unit settlements.",
    groupOrders: "Group orders you run",
  },
  coop: {
    title: "Cooperative console",
    body: "Products and stock lots, picking by household, shipping and refunds, payouts to households.",
    lots: "Stock lots",
    households: "Producing households",
  },
  team: {
    title: "Work team console",
    body: "Household files, income ledgers, monitoring alerts and charts.",
    households: "Household files",
    lastAudit: "Last ledger audit: {{date}}, {{households}} households, {{count}} differences",
    noAudit: "No ledger audit has run yet (npm run audit:ledger)",
    registeredPoor: "Registered poor households",
  },
  admin: {
    title: "Administration",
    body: "Users, roles, units and fee settings.",
    usersTitle: "Users and roles",
    searchUsers: "Search by name, phone or email",
    rolesLabel: "Roles",
    unitLabel: "Unit",
    noUnit: "(no unit)",
    villageLabel: "Village served",
    noVillage: "(none)",
    editUser: "Edit user",
    userSaved: "Saved roles and unit of {{name}}.",
    noUsers: "No users found.",
    counts: "{{count}} users",
    cannotRemoveOwnAdmin: "You cannot remove your own admin role",
    unknownRole: "Unknown role",
    rolesRequired: "Choose at least one role",
    unknownVillage: "That village does not exist",
  },
  consoleNav: {
    label: "{{console}} sections",
    coop: { home: "Overview", orders: "Orders", lots: "Stock lots", picking: "Picking", payouts: "Payouts", products: "Products" },
    team: {
      home: "Overview",
      households: "Household files",
      alerts: "Alerts",
      dashboard: "Charts",
      reports: "Reports",
      settings: "Monitoring settings",
    },
    organizer: { home: "My group orders", new: "New group order" },
    admin: { home: "Overview", users: "Users" },
  },
  payoutMethods: { cash: "Cash", bank_transfer: "Bank transfer" },
  account: { title: "My account", roles: "Roles", unit: "Unit", phone: "Phone", email: "Email" },
  shop: shop.en,
  ...orders.en,
  ...households.en,
  ...groupOrders.en,
  ...cooperative.en,
  ...reports.en,
  ...outreach.en,
  ...jobs.en,
};

export default en;
