import type { ReactNode } from "react";

export function PageHeader({ title, body, children }: { title: string; body?: string; children?: ReactNode }) {
  return (
    <header className="space-y-1">
      <h1 className="text-2xl font-semibold">{title}</h1>
      {body ? <p className="text-stone-600">{body}</p> : null}
      {children}
    </header>
  );
}

export function StatCard({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="rounded-lg border border-stone-200 bg-white p-4">
      <p className="text-sm text-stone-600">{label}</p>
      <p className="mt-1 text-xl font-semibold break-words tabular-nums sm:text-2xl">{value}</p>
    </div>
  );
}
