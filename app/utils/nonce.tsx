import { createContext, useContext } from "react";

// The CSP nonce exists only during the server render; browsers hide it from scripts, so the client sees "".
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
