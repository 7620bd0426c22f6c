// TypeScript's ES5 class helper, once for the whole gencoro/es5 bundle (scripts/build.mjs
// compiles that bundle's input with --noEmitHelpers and puts this file inside the UMD
// wrapper), instead of one copy per module that declares a subclass. The text is tsc's
// own (TypeScript 5.9), less its `(this && this.__extends) ||` probe for a global copy.
// Any other helper tsc starts to need makes the build fail until it is added here.
var __extends = (function () {
    var extendStatics = function (d, b) {
        extendStatics = Object.setPrototypeOf ||
            ({ __proto__: [] } instanceof Array && function (d, b) { d.__proto__ = b; }) ||
            function (d, b) { for (var p in b) if (Object.prototype.hasOwnProperty.call(b, p)) d[p] = b[p]; };
        return extendStatics(d, b);
    };
    return function (d, b) {
        if (typeof b !== "function" && b !== null)
            throw new TypeError("Class extends value " + String(b) + " is not a constructor or null");
        extendStatics(d, b);
        function __() { this.constructor = d; }
        d.prototype = b === null ? Object.create(b) : (__.prototype = b.prototype, new __());
    };
})();
