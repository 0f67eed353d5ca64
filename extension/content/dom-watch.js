// The one MutationObserver the content scripts share (issue 13): the error
// detector, the steps trail and the late environment signs subscribe to it.
//
// Chromium's cost on a heavy page is its bookkeeping per observer and per
// mutation, not our callbacks: two do-nothing document-wide observers alone
// cost a re-sorted 1,000-row list x1.115 (bench/extension_overhead_odoo.py
// --bare-observers). So there is one observer, and it does not look inside
// Odoo's view area (`.o_action_manager`, a child of <body> in the web client
// of 14–19), where the rows are drawn and where Odoo draws no dialog and no
// notification: those go to <body> itself (14's legacy dialogs and
// notifications) or to its other children (`.o-main-components-container`
// from 15 on). Every other child of <body> is watched whole, also one added
// late; a page without an action manager (frontend, anything unknown) is
// watched whole.
//
// `OSR.domWatch.subscribe(onRecords, {characterData})` returns `unsubscribe()`;
// `onRecords(records)` gets each batch of MutationRecords.
"use strict";
(function (OSR) {
  const VIEW_AREA = ".o_action_manager";
  const subscribers = new Set();
  let observer = null;
  let characterData = false;

  /** A child of <body> is watched with everything under it, unless it is the view area. */
  function watchChild(child) {
    if (child.nodeType !== Node.ELEMENT_NODE || child.matches(VIEW_AREA)) return;
    observer.observe(child, { childList: true, subtree: true, characterData });
  }

  function observeAll() {
    const body = document.body;
    if (!body) {
      observer.observe(document.documentElement, { childList: true, subtree: true, characterData });
      return;
    }
    observer.observe(body, { childList: true, characterData });
    for (const child of body.children) watchChild(child);
  }

  function deliver(records) {
    for (const record of records) {
      if (record.target === document.body) record.addedNodes.forEach(watchChild);
    }
    for (const subscriber of subscribers) {
      try {
        subscriber.onRecords(records);
      } catch (error) {
        console.error(error); // one subscriber's failure does not blind the others
      }
    }
  }

  /** Observe again when the wanted options change (characterData only while a subscriber needs it). */
  function refresh() {
    const wanted = [...subscribers].some((subscriber) => subscriber.characterData);
    if (observer && wanted === characterData) return;
    characterData = wanted;
    if (!observer) observer = new MutationObserver(deliver);
    observeAll();
  }

  /** Call `onRecords(records)` on DOM changes outside the view area; the result unsubscribes. */
  function subscribe(onRecords, { characterData: wantsCharacterData = false } = {}) {
    const subscriber = { onRecords, characterData: wantsCharacterData };
    subscribers.add(subscriber);
    refresh();
    return () => {
      if (!subscribers.delete(subscriber)) return;
      if (subscribers.size === 0) {
        observer.disconnect();
        observer = null;
        characterData = false;
      } else {
        refresh();
      }
    };
  }

  OSR.domWatch = { subscribe };
})(globalThis.OSR);
