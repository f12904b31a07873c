import { parse, type Submission } from "@conform-to/react";
import { useEffect, useRef, useState } from "react";
import type { z } from "zod";

type Validate<S extends z.ZodType> = (context: { formData: FormData }) => Submission<z.input<S>, string[], z.output<S>>;

/**
 * Until the schema arrives, a field that is left counts as valid and a submission goes to the server, which checks
 * every submission anyway and answers with the same messages. Conform would otherwise send each field left to the
 * server to be checked, and that round trip disables the form's submit button: a tap on it in that moment was lost
 * (a sign-in or a received lot went missing whenever the schema came late).
 */
function acceptUntilLoaded<S extends z.ZodType>({ formData }: { formData: FormData }) {
  return parse(formData, { resolve: (value) => ({ value }) }) as Submission<z.input<S>, string[], z.output<S>>;
}

/**
 * A form's validation in the browser with the same zod schema as its action, fetched when the person first focuses or
 * taps something on the page rather than with the page: zod and its conform adapter weigh about as much as all the
 * rest of a page's own code (issue 11 holds every page under 100 KB of gzipped JS).
 */
export function useSchemaValidation<S extends z.ZodType>(load: () => Promise<S>): Validate<S> {
  const [validate, setValidate] = useState<Validate<S>>(() => acceptUntilLoaded<S>);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    const start = () => {
      document.removeEventListener("focusin", start);
      document.removeEventListener("pointerdown", start);
      void Promise.all([import("@conform-to/zod/v4"), loadRef.current()]).then(([{ parseWithZod }, schema]) => {
        if (live)
          setValidate(
            () =>
              ({ formData }: { formData: FormData }) =>
                parseWithZod(formData, { schema }),
          );
      });
    };
    document.addEventListener("focusin", start);
    document.addEventListener("pointerdown", start);
    return () => {
      live = false;
      document.removeEventListener("focusin", start);
      document.removeEventListener("pointerdown", start);
    };
  }, []);
  return validate;
}
