/* The sourced explainer's service worker: pages and files of this site (same origin, inside this
   folder) are fetched from the network first and kept in a cache, so that a page once visited opens
   again offline. Requests to any other host are left alone (the site makes none). */
"use strict";

var CACHE = "explainer-offline-v1";
var SCOPE = self.registration.scope;

function ours(url) {
  return url.indexOf(SCOPE) === 0;
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

/* The page tells the worker what it loaded before the worker controlled it. */
self.addEventListener("message", function (event) {
  var urls = ((event.data && event.data.cache) || []).filter(ours);
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return cache.match(url).then(function (hit) {
        return hit || cache.add(url).catch(function () { return undefined; });
      });
    }));
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !ours(request.url)) {
    return;
  }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) {
        return cache.put(request, copy);
      }));
    }
    return response;
  }).catch(function () {
    /* Offline: the kept copy (a page found also under another ?query, as search results link it). */
    return caches.match(request, { ignoreSearch: request.mode === "navigate" }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});
