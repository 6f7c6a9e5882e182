// Signing with the card account: personal_sign and eth_signTypedData_v4.
// The sheet shows the payload and the host signs exactly that.

import { personalSignParams, typedDataParams } from '../../lib/ethparams.js';
import { consent } from '../consentqueue.js';
import { connectedAccount } from './accounts.js';

export const chainMethods = {
  async personal_sign({ port, origin, chain }, params) {
    const { message, address: from } = personalSignParams(params);
    const account = await connectedAccount(origin, chain, from);
    return (await consent(port, origin, { kind: 'message', chain, account, payload: { message } })).signature;
  },
  async eth_signTypedData_v4({ port, origin, chain }, params) {
    const { typedData, address: from } = typedDataParams(params);
    const account = await connectedAccount(origin, chain, from);
    return (await consent(port, origin, { kind: 'typedData', chain, account, payload: { typedData } })).signature;
  },
};
